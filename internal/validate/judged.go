package validate

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/casebook/casebook/internal/binfmt"
	"github.com/casebook/casebook/internal/cases"
	"github.com/casebook/casebook/internal/history"
	"github.com/casebook/casebook/internal/office"
)

// The judged cache keeps, for each case file, the findings of its own
// checks (checkRecord and the body and personal-data checks) with the
// stretch of time they hold for: from the --now they were judged at until
// the first moment a clock of the record changes (office.Record.Until: a
// warning or due time, the next midnight, an event committed for later),
// or for good once the record is settled (office.Record.Settled). Either
// way no time the case holds may lie after that --now. A later run with an
// equal key and a --now within the stretch takes them instead of judging
// the case again; one past it judges the case and keeps the new stretch. The key is made of
// content hashes only: the file's blob, the versions of its history (each
// a commit hash, path and blob) and its transitions, and, for the whole
// file, the program and every file under policies/ (policies, calendar,
// recipients). A file that
// does not check out, or was written for another program or other
// policies, is ignored and rewritten.
//
// The repository-wide checks (duplicates, deletions, backdating,
// acknowledgements, --strict) run on every run, over cached and judged
// findings alike.
const (
	// CacheFile is the judged cache's file in the cache folder.
	CacheFile   = "validate.bin"
	judgedMagic = "casebook-validate-cache 3\n"
)

var judgedCRC = crc32.MakeTable(crc32.Castagnoli)

// judged is one case file's cached findings.
type judged struct {
	key  [sha256.Size]byte
	blob [20]byte // the file's, which CoreOnly looks for
	// since is the --now the findings were judged at, in Unix seconds
	// rounded up: they hold from then on, until until (Unix seconds
	// rounded down, exclusive; 0 for good).
	since, until int64
	fs           []Finding
	// raw is the entry as the file read holds it after its file name, its
	// findings not decoded yet (findings): a run decodes only those it
	// takes, and writes back unchanged entries as they were.
	raw []byte
}

// findings decodes j's findings from the file it was read from.
func (j judged) findings() []Finding {
	if j.raw == nil {
		return slices.Clone(j.fs)
	}
	d := &binfmt.Decoder{B: j.raw[sha256.Size+20:]}
	d.Int()
	d.Int()
	nf := d.Count(12)
	fs := make([]Finding, 0, nf)
	for k := 0; k < nf && d.Err == nil; k++ {
		fs = append(fs, decodeFinding(d))
	}
	return fs
}

// judgedCache is the judged cache of one run: the entries read, and the
// ones this run keeps for the next.
type judgedCache struct {
	dir  string
	run  [sha256.Size]byte
	old  map[string]judged
	next []judged // by index of Office.Cases; a zero key keeps nothing
	hit  []bool
}

// openJudged reads the judged cache of o, or returns nil when runs with
// opts may not use it: without a cache folder or a moment, and when the
// options change what a case's checks report.
func openJudged(o *office.Office, opts Options) *judgedCache {
	if o.CacheDir == "" || !judgedUsable(opts) || !o.PoliciesRead {
		return nil
	}
	// The policies/ files must be those the office was loaded with: a
	// checkout while validate ran would otherwise file findings judged
	// under the old policies under the new ones' key.
	if now, ok := office.PoliciesDigest(o.Root); !ok || now != o.PoliciesDigest {
		return nil
	}
	run, ok := runKeyOf(o.PoliciesDigest)
	if !ok {
		return nil
	}
	old := readJudgedWith(o.CacheDir, run)
	return &judgedCache{dir: o.CacheDir, run: run, old: old, next: make([]judged, len(o.Cases)), hit: make([]bool, len(o.Cases))}
}

func judgedUsable(opts Options) bool {
	return !opts.Now.IsZero() && !opts.RequireSigned && opts.Verify == nil && len(opts.Identities) == 0
}

// readJudged reads the judged cache in cacheDir written for the program
// and the policies of root: nil entries when there is none that checks out.
func readJudged(root, cacheDir string) (map[string]judged, [sha256.Size]byte, bool) {
	run, ok := runKey(root)
	if !ok {
		return nil, run, false
	}
	return readJudgedWith(cacheDir, run), run, true
}

// readJudgedWith reads the entries of the judged cache in cacheDir
// written under run; nil when there is none that checks out.
func readJudgedWith(cacheDir string, run [sha256.Size]byte) map[string]judged {
	b, err := os.ReadFile(filepath.Join(cacheDir, CacheFile))
	if err != nil {
		return nil
	}
	old, _ := parseJudged(b, run)
	return old
}

// CoreOnly is office.Options.CoreOnly for a run of validate with opts: it
// names the case files the judged cache holds findings for, at opts.Now,
// of those very bytes. Run then reads such a file whole only when its
// history changed too. It is nil when opts do not use the judged cache.
func CoreOnly(opts Options) func(root, cacheDir string) func(path string, blob [20]byte) bool {
	if !judgedUsable(opts) {
		return nil
	}
	return func(root, cacheDir string) func(path string, blob [20]byte) bool {
		old, _, ok := readJudged(root, cacheDir)
		if !ok || len(old) == 0 {
			return nil
		}
		return func(path string, blob [20]byte) bool {
			e, ok := old[path]
			return ok && e.blob == blob && e.holds(opts.Now)
		}
	}
}

// lookup returns the cached findings of case i, whose key is key, when
// they hold at now.
func (c *judgedCache) lookup(i int, file string, key [sha256.Size]byte, now time.Time) ([]Finding, bool) {
	e, ok := c.old[file]
	if !ok || e.key != key || !e.holds(now) {
		return nil, false
	}
	c.next[i], c.hit[i] = e, true
	return e.findings(), true
}

// holds reports whether the findings hold at now.
func (j judged) holds(now time.Time) bool {
	return !now.Before(time.Unix(j.since, 0)) && (j.until == 0 || now.Before(time.Unix(j.until, 0)))
}

// keep records the findings of case i, whose file is blob, judged at now
// for the next run: for good when until is zero, else until then.
func (c *judgedCache) keep(i int, key [sha256.Size]byte, blob [20]byte, now, until time.Time, fs []Finding) {
	for _, f := range fs {
		if f.Acknowledged != nil {
			return
		}
	}
	since := now.Unix()
	if now.Nanosecond() > 0 {
		since++
	}
	var end int64
	if !until.IsZero() {
		if end = until.Unix(); end <= since {
			return // holds for less than the second judged
		}
	}
	c.next[i] = judged{key: key, blob: blob, since: since, until: end, fs: slices.Clone(fs)}
}

// save writes the entries kept when they differ from the file read, or
// when there was no file that checked out. Failing to write only costs
// speed next time.
func (c *judgedCache) save(cs []*cases.Case) {
	changed := false
	n := 0
	for i, e := range c.next {
		if e.key == ([sha256.Size]byte{}) {
			continue
		}
		n++
		if !c.hit[i] {
			changed = true
		}
	}
	if !changed && c.old != nil && n == len(c.old) {
		return
	}
	e := binfmt.Encoder{B: append([]byte(judgedMagic), c.run[:]...)}
	e.Uint(uint64(n))
	for i, j := range c.next {
		if j.key == ([sha256.Size]byte{}) {
			continue
		}
		e.Str(cs[i].File)
		if j.raw != nil {
			e.B = append(e.B, j.raw...)
			continue
		}
		e.B = append(e.B, j.key[:]...)
		e.B = append(e.B, j.blob[:]...)
		e.Int(j.since)
		e.Int(j.until)
		e.Uint(uint64(len(j.fs)))
		for _, f := range j.fs {
			encodeFinding(&e, f)
		}
	}
	e.B = binary.LittleEndian.AppendUint32(e.B, crc32.Checksum(e.B, judgedCRC))
	_ = binfmt.WriteAtomic(c.dir, CacheFile, e.B)
}

func encodeFinding(e *binfmt.Encoder, f Finding) {
	for _, s := range []string{string(f.Severity), f.Code, f.Case, f.File, f.Message, f.Fix, f.MessageZh, f.FixZh, f.Commit, f.Rule, f.Field} {
		e.Str(s)
	}
	e.Int(int64(f.Line))
}

func decodeFinding(d *binfmt.Decoder) Finding {
	var f Finding
	f.Severity = Severity(d.Str())
	for _, s := range []*string{&f.Code, &f.Case, &f.File, &f.Message, &f.Fix, &f.MessageZh, &f.FixZh, &f.Commit, &f.Rule, &f.Field} {
		*s = d.Str()
	}
	f.Line = int(d.Int())
	return f
}

// skipFinding reads past one finding without decoding it.
func skipFinding(d *binfmt.Decoder) {
	for range 11 {
		d.Bytes()
	}
	d.Int()
}

// parseJudged decodes a judged cache written for run, or says why it does
// not check out.
func parseJudged(b []byte, run [sha256.Size]byte) (map[string]judged, error) {
	hdr := append([]byte(judgedMagic), run[:]...)
	if !bytes.HasPrefix(b, []byte(judgedMagic)) {
		return nil, errors.New("unknown header (another casebook version)")
	}
	if len(b) < len(judgedMagic)+sha256.Size+4 {
		return nil, errors.New("truncated")
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, judgedCRC) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, errors.New("checksum mismatch")
	}
	if run != ([sha256.Size]byte{}) && !bytes.HasPrefix(b, hdr) {
		return nil, errors.New("written by another program or for other policies")
	}
	d := &binfmt.Decoder{B: body[len(hdr):]}
	n := d.Count(sha256.Size + 20 + 4)
	out := make(map[string]judged, n)
	for i := 0; i < n && d.Err == nil; i++ {
		file := d.Str()
		var j judged
		if len(d.B) < sha256.Size+20 {
			d.Fail()
			break
		}
		start := d.B
		copy(j.key[:], d.B)
		copy(j.blob[:], d.B[sha256.Size:])
		d.B = d.B[sha256.Size+20:]
		j.since = d.Int()
		j.until = d.Int()
		nf := d.Count(12)
		for k := 0; k < nf && d.Err == nil; k++ {
			skipFinding(d)
		}
		j.raw = start[: len(start)-len(d.B) : len(start)-len(d.B)]
		out[file] = j
	}
	if d.Err != nil || len(d.B) != 0 {
		return nil, errors.New("does not decode")
	}
	return out, nil
}

// CacheEntries counts the entries of the judged cache in dir (whichever
// program and policies wrote it): those kept for good, and those kept
// until a moment.
func CacheEntries(dir string) (forGood, untilThen int, err error) {
	b, err := os.ReadFile(filepath.Join(dir, CacheFile))
	if err != nil {
		return 0, 0, err
	}
	m, err := parseJudged(b, [sha256.Size]byte{})
	for _, j := range m {
		if j.until == 0 {
			forGood++
		} else {
			untilThen++
		}
	}
	return forGood, untilThen, err
}

// CheckCacheFile checks the judged cache in dir as a run would read it,
// for casebook doctor: nil when it checks out or is absent. Which program
// and policies it was written for is not checked; a run ignores a file
// written for others and writes its own.
func CheckCacheFile(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, CacheFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = parseJudged(b, [sha256.Size]byte{})
	return err
}

// caseKey is the key of a case file's judged findings: its bytes, where
// it is, and the history it is judged with (versions and transitions).
func caseKey(c *cases.Case, h *history.Case) ([sha256.Size]byte, bool) {
	if c.Blob == ([20]byte{}) {
		return [sha256.Size]byte{}, false
	}
	b := make([]byte, 0, 256)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = append(b, c.Blob[:]...)
	str(c.File)
	for _, a := range c.Attachments {
		str(a)
	}
	str("")
	if h != nil {
		str(h.ID)
		str(h.Path)
		for i := range h.Versions {
			v := &h.Versions[i]
			str(v.Commit)
			str(v.Path)
			b = append(b, v.Blob[:]...)
			b = append(b, bit(v.Deleted), bit(v.Readded), bit(v.Merge), bit(v.Shallow), bit(v.Signed))
		}
		// The transitions follow from the versions, except where several
		// files share the id and each keeps its own (office.CaseHistory).
		str("")
		for i := range h.Transitions {
			tr := &h.Transitions[i]
			str(tr.Commit)
			str(tr.From)
			str(tr.To)
			b = append(b, bit(tr.Readded))
		}
		if h.Deleted != nil {
			str(h.Deleted.Commit)
		}
	}
	return sha256.Sum256(b), true
}

func bit(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// runKey fingerprints what every case's checks share: the program (its
// build id, or its bytes) and the files under policies/ as they are now.
func runKey(root string) ([sha256.Size]byte, bool) {
	digest, ok := office.PoliciesDigest(root)
	if !ok {
		return [sha256.Size]byte{}, false
	}
	return runKeyOf(digest)
}

// runKeyOf is runKey for policies/ files of that digest.
func runKeyOf(digest [sha256.Size]byte) ([sha256.Size]byte, bool) {
	prog, ok := programID()
	if !ok {
		return [sha256.Size]byte{}, false
	}
	x := sha256.New()
	x.Write(prog[:])
	x.Write(digest[:])
	var k [sha256.Size]byte
	x.Sum(k[:0])
	return k, true
}

var (
	programOnce sync.Once
	programSum  [sha256.Size]byte
	programOK   bool
)

// programID identifies the running program: findings are only reused by
// the program that judged them. It is the Go build id when the executable
// carries one (an ELF note, read in microseconds), else a hash of the
// executable's bytes.
func programID() ([sha256.Size]byte, bool) {
	programOnce.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			return
		}
		if f, err := elf.Open(exe); err == nil {
			s := f.Section(".note.go.buildid")
			if s != nil {
				if data, err := s.Data(); err == nil && len(data) > 16 {
					programSum, programOK = sha256.Sum256(data), true
				}
			}
			f.Close()
			if programOK {
				return
			}
		}
		data, err := os.ReadFile(exe)
		if err != nil {
			return
		}
		programSum, programOK = sha256.Sum256(data), true
	})
	return programSum, programOK
}

// holdsFrom reports whether r's own findings hold from now on, and until
// when: for good (zero until) when its record is settled, else until its
// clocks change (office.Record.Until). No time of the case that the
// checks compare with now (received_at, a recorded clock time) may lie
// after it: those findings name now itself. A fact changed without a
// correction is judged on the file's own values too (factChanged), which
// are judged at now; such cases are judged on every run.
func holdsFrom(r *office.Record, now time.Time) (bool, time.Time) {
	if r.Policy == nil || !r.Settled && r.Until.IsZero() || r.Case.ReceivedAt.After(now.Add(receivedSlack)) {
		return false, time.Time{}
	}
	for _, fc := range r.Facts {
		if !fc.Corrected {
			return false, time.Time{}
		}
	}
	later := false
	eachRecordedTime(r, func(_ string, t time.Time, _ bool) {
		if t.After(now.Add(skew)) {
			later = true
		}
	})
	if later {
		return false, time.Time{}
	}
	if r.Settled {
		return true, time.Time{}
	}
	return true, r.Until
}
