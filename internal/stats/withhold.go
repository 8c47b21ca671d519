package stats

// table is the counts of a file as Suppress sees them: every count with
// its key, and the lines whose sums a reader knows.
type table struct {
	cells []*Num
	keys  []string
	lines [][]int
}

func (t *table) add(key string, n *Num) int {
	t.cells = append(t.cells, n)
	t.keys = append(t.keys, key)
	return len(t.cells) - 1
}

// The counts of a summary, in the order of summaryIx.fields.
const (
	fCases = iota
	fOpen
	fFinished
	fOverdue
	fDecided
	fOnTime
	fLate
	nFields
)

// The counts of a month, in the order of summaryIx.months.
const (
	mReceived = iota
	mClosed
	mOverdue
	mDecided
	mOnTime
	mLate
	nMonthFields
)

// summaryIx are the indexes of a summary's counts in a table.
type summaryIx struct {
	fields [nFields]int
	months map[string][nMonthFields]int
}

// summary adds s's counts under prefix, with the lines within it: cases =
// open + finished, decided = on time + late, in the summary and in each
// month, and each count of the months summed to the summary's (received
// to cases, closed to finished, overdue, decided, on time and late to
// theirs). Parts come before their whole, so that on a tie a part is
// withheld rather than the whole.
func (t *table) summary(prefix string, s *Summary) summaryIx {
	ix := summaryIx{months: map[string][nMonthFields]int{}}
	for i, c := range []struct {
		key string
		n   *Num
	}{{"cases", &s.Cases}, {"open", &s.Open}, {"finished", &s.Finished}, {"overdue", &s.Overdue},
		{"on_time.decided", &s.OnTime.Decided}, {"on_time.on_time", &s.OnTime.OnTime}, {"on_time.late", &s.OnTime.Late}} {
		ix.fields[i] = t.add(prefix+"."+c.key, c.n)
	}
	f := ix.fields
	t.lines = append(t.lines, []int{f[fOpen], f[fFinished], f[fCases]}, []int{f[fOnTime], f[fLate], f[fDecided]})
	var sums [nMonthFields][]int
	for mi := range s.Months {
		m := &s.Months[mi]
		p := prefix + ".months." + m.Month + "."
		var mx [nMonthFields]int
		for i, c := range []struct {
			key string
			n   *Num
		}{{"received", &m.Received}, {"closed", &m.Closed}, {"overdue", &m.Overdue},
			{"on_time.decided", &m.OnTime.Decided}, {"on_time.on_time", &m.OnTime.OnTime}, {"on_time.late", &m.OnTime.Late}} {
			mx[i] = t.add(p+c.key, c.n)
			sums[i] = append(sums[i], mx[i])
		}
		ix.months[m.Month] = mx
		t.lines = append(t.lines, []int{mx[mOnTime], mx[mLate], mx[mDecided]})
	}
	for i, whole := range [nMonthFields]int{f[fCases], f[fFinished], f[fOverdue], f[fDecided], f[fOnTime], f[fLate]} {
		t.lines = append(t.lines, append(sums[i], whole))
	}
	return ix
}

// counts adds a procedure's counts by one vocabulary, which sum to its
// cases.
func (t *table) counts(prefix string, list []Count, cases int) {
	var line []int
	for i := range list {
		line = append(line, t.add(prefix+"."+list[i].ID, &list[i].Cases))
	}
	t.lines = append(t.lines, append(line, cases))
}

// table lists every count of f, keyed by its path in the file
// ("totals.open", "totals.months.2026-11.received",
// "procedures.bank.states.assigned", "unreadable"), and the lines a
// reader can add up: those within each summary, each procedure's states,
// categories and channels summed to its cases, and each count of the
// totals (of each month too) summed from the procedures'. terminal, when
// not nil, says by policy which states end a case (a reader with the
// policy knows): their counts sum to finished, the others' to open.
func (f *File) table(terminal map[string]map[string]bool) *table {
	t := &table{}
	t.add("unreadable", &f.Unreadable)
	total := t.summary("totals", &f.Totals)
	var across [nFields][]int
	acrossMonth := map[string]*[nMonthFields][]int{}
	for pi := range f.Procedures {
		p := &f.Procedures[pi]
		prefix := "procedures." + p.Policy
		ix := t.summary(prefix, &p.Summary)
		t.counts(prefix+".states", p.States, ix.fields[fCases])
		if ends, ok := terminal[p.Policy]; ok {
			// The states' cells are the last len(p.States) added.
			first := len(t.cells) - len(p.States)
			var open, finished []int
			for i, c := range p.States {
				if c.ID == NoneID || c.ID == OtherID {
					continue
				}
				if ends[c.ID] {
					finished = append(finished, first+i)
				} else {
					open = append(open, first+i)
				}
			}
			t.lines = append(t.lines, append(open, ix.fields[fOpen]), append(finished, ix.fields[fFinished]))
		}
		t.counts(prefix+".categories", p.Categories, ix.fields[fCases])
		t.counts(prefix+".channels", p.Channels, ix.fields[fCases])
		for i := range across {
			across[i] = append(across[i], ix.fields[i])
		}
		for _, m := range p.Months {
			a := acrossMonth[m.Month]
			if a == nil {
				a = new([nMonthFields][]int)
				acrossMonth[m.Month] = a
			}
			for i, c := range ix.months[m.Month] {
				a[i] = append(a[i], c)
			}
		}
	}
	for i := range across {
		t.lines = append(t.lines, append(across[i], total.fields[i]))
	}
	for _, m := range f.Totals.Months {
		a := acrossMonth[m.Month]
		if a == nil {
			continue
		}
		for i, whole := range total.months[m.Month] {
			t.lines = append(t.lines, append(a[i], whole))
		}
	}
	return t
}

// withhold makes f a public file's counts: every count under MinCell and
// every one that seed names withheld, then, line by line, as many more
// as Suppress needs so that no withheld count is the difference of shown
// ones. A withheld count keeps no number; a rate from a withheld count
// is withheld too.
func (f *File) withhold(seed map[string]bool, terminal map[string]map[string]bool) {
	t := f.table(terminal)
	vals := make([]int, len(t.cells))
	seeds := make([]bool, len(t.cells))
	for i, n := range t.cells {
		vals[i] = n.N
		seeds[i] = seed[t.keys[i]]
	}
	for i, hide := range SuppressFrom(vals, t.lines, seeds) {
		if hide {
			*t.cells[i] = Num{Withheld: true}
		}
	}
	rerate := func(s *Summary) {
		s.OnTime = s.OnTime.rated()
		for i := range s.Months {
			s.Months[i].OnTime = s.Months[i].OnTime.rated()
		}
	}
	rerate(&f.Totals)
	for i := range f.Procedures {
		rerate(&f.Procedures[i].Summary)
	}
}

// WithheldKeys are the keys of the counts f withholds (see table for the
// keys): what a page of the same build must withhold too.
func (f *File) WithheldKeys() map[string]bool {
	out := map[string]bool{}
	t := f.table(nil)
	for i, n := range t.cells {
		if n.Withheld {
			out[t.keys[i]] = true
		}
	}
	return out
}
