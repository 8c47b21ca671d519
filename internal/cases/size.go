package cases

import "github.com/casebook/casebook/internal/msg"

// TooLarge is the error Parse gives a file of size bytes, over the
// case-file limit: for a reader that knows the size without the bytes (a
// blob in git history) and must not read them to learn that the file is no
// case.
func TooLarge(file string, size int64) *msg.FileError {
	return tooLarge(file, size, DefaultMaxBytes)
}
