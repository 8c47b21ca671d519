//go:build !unix

package history

func mapFile(name string) ([]byte, func(), error) { return mapFileFallback(name) }
