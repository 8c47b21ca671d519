// Package msg holds what the users read in two languages: a Text in
// Chinese and English, templates with named arguments that render times,
// labels and numbers in each language, the choice of language from a flag
// and the environment, and the one error type for a problem at a place in
// a file (modelled on Hugo's herrors.FileError).
//
// Chinese is the users' language and the default; English is for the
// people who build and host casebook and for programs.
package msg
