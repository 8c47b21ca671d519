package deadline

import (
	"testing"
)

// benchCompute times the clocks of one case of an embedded policy: what
// validate pays per case and per run.
func benchCompute(b *testing.B, id string, fields map[string]any, evs []Event, now string) {
	p := loadEmbedded(b, id)
	cal, err := CalendarFor(p)
	if err != nil {
		b.Fatal(err)
	}
	exts, _ := ParseExtensions(fields)
	in := Input{Policy: p, Calendar: cal, Env: p.Env(fields), ReceivedAt: evs[0].At, Status: evs[len(evs)-1].To,
		Fields: fields, Events: evs, Extensions: exts, Now: at(now)}
	if clocks, ps := Compute(in); len(clocks) == 0 || len(ps) > 0 {
		b.Fatalf("clocks %v, problems %v", clocks, ps)
	}
	b.ReportAllocs()
	for b.Loop() {
		Compute(in)
	}
}

// BenchmarkCompute_BankReplied: received, assigned, replied across National Day.
func BenchmarkCompute_BankReplied(b *testing.B) {
	fields := map[string]any{"received_at": "2026-09-30T10:00:00+08:00", "channel": "online", "category": "service_attitude", "status": "replied"}
	evs := []Event{{At: at("2026-09-30T10:00:00+08:00"), To: "received"},
		{At: at("2026-10-08T10:00:00+08:00"), From: "received", To: "assigned"},
		{At: at("2026-10-09T10:00:00+08:00"), From: "assigned", To: "replied"}}
	benchCompute(b, "bank", fields, evs, "2026-11-01T10:00:00+08:00")
}

// BenchmarkCompute_HotlineHours: a routing clock in daytime hours, a report
// duty and the same-day feedback.
func BenchmarkCompute_HotlineHours(b *testing.B) {
	fields := map[string]any{"received_at": "2026-11-02T11:50:00+08:00", "channel": "hotline", "category": "quality", "status": "confirmed",
		"satisfaction": "satisfied", "progress_reported_at": "2026-11-05T09:00:00+08:00"}
	evs := []Event{{At: at("2026-11-02T11:50:00+08:00"), To: "received"},
		{At: at("2026-11-02T14:00:00+08:00"), From: "received", To: "routed"},
		{At: at("2026-11-06T16:00:00+08:00"), From: "routed", To: "confirmed"}}
	benchCompute(b, "hotline", fields, evs, "2026-11-07T10:00:00+08:00")
}

// BenchmarkCompute_BankinsPausedExtended: a complex complaint paused for
// appraisal and extended, over Spring Festival 2027.
func BenchmarkCompute_BankinsPausedExtended(b *testing.B) {
	fields := map[string]any{"received_at": "2027-01-20T10:00:00+08:00", "channel": "phone", "category": "card", "complex": true, "status": "handling",
		"extensions": []any{map[string]any{"rule": "decide", "by": "30 calendar_days", "approved_by": "总行高管"}}}
	evs := []Event{{At: at("2027-01-20T10:00:00+08:00"), To: "received"},
		{At: at("2027-01-21T10:00:00+08:00"), From: "received", To: "handling"},
		{At: at("2027-01-25T10:00:00+08:00"), From: "handling", To: "appraisal"},
		{At: at("2027-02-15T10:00:00+08:00"), From: "appraisal", To: "handling"}}
	benchCompute(b, "bankins", fields, evs, "2027-03-01T10:00:00+08:00")
}
