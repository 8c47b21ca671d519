package cli

import (
	"io"
	"strings"
)

// table prints aligned columns measured in terminal cells: a Chinese
// character takes two cells, which text/tabwriter does not know.
type table struct {
	rows  [][]string
	right map[int]bool // columns aligned to the right (numbers)
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], cellWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-cellWidth(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.right[i] {
				b.WriteString(pad + c)
			} else if i < len(r)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// padCells pads s with spaces to n terminal cells, as %-Ns would if a
// Chinese character took one.
func padCells(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-cellWidth(s)))
}

// cellWidth counts terminal cells: East Asian wide and full-width
// characters take two.
func cellWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x1100:
			n++
		case r <= 0x115f, r >= 0x2e80 && r <= 0xa4cf && r != 0x303f, r >= 0xac00 && r <= 0xd7a3,
			r >= 0xf900 && r <= 0xfaff, r >= 0xfe30 && r <= 0xfe4f, r >= 0xff00 && r <= 0xff60,
			r >= 0xffe0 && r <= 0xffe6, r >= 0x20000 && r <= 0x3fffd:
			n += 2
		default:
			n++
		}
	}
	return n
}
