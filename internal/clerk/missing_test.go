package clerk_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/clerk"
)

// TestNew_MissingPaths: new lists the fields it still needs from the
// path each field.required finding carries, not from its message.
func TestNew_MissingPaths(t *testing.T) {
	tests := []struct {
		name string
		nc   clerk.NewCase
		want []string
	}{
		{"a case without a title needs the title",
			clerk.NewCase{Policy: "bank", Channel: "visit", Category: "attitude"}, []string{"title"}},
		{"a case without channel and title needs both",
			clerk.NewCase{Policy: "bank", Category: "attitude"}, []string{"channel", "title"}},
		{"a case forwarded by the regulator needs the regulator's received time",
			clerk.NewCase{Policy: "bankins", Title: "理赔拖延", Channel: "regulator"}, []string{"regulator_received_at"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOffice(t)
			tt.nc.ReceivedAt = time.Date(2026, 11, 2, 9, 0, 0, 0, o.bank.Location)
			_, err := o.desk.New(tt.nc)
			var miss *clerk.MissingError
			if !errors.As(err, &miss) {
				t.Fatalf("New: err = %v, want a MissingError", err)
			}
			if !reflect.DeepEqual(miss.Paths, tt.want) {
				t.Errorf("missing %v, want %v", miss.Paths, tt.want)
			}
		})
	}
}
