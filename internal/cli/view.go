package cli

import (
	"github.com/casebook/casebook/internal/msg"
	"github.com/casebook/casebook/internal/policy"
)

// view is how the text output of show, log and list reads: the policy's
// terms (states, fields, values, clocks) in Terms, their Chinese labels or
// with --ids the ids the files hold (policy.LangIDs), and the command's own
// words (headings, notes, "due") in Lang, the command's language: Chinese
// by default, English with --lang en or an English LANG. The English words
// are those casebook has always printed.
type view struct {
	Terms string
	Lang  string
}

// viewOf is the view of a command run in app, with --ids or not.
func viewOf(app *App, ids bool) view {
	terms := msg.Zh
	if ids {
		terms = policy.LangIDs
	}
	return view{Terms: terms, Lang: app.lang()}
}

// say is t in the view's language, each {name} filled from args (see
// msg.Render).
func (v view) say(t msg.Text, args msg.Args) string {
	lang := v.Lang
	if lang == "" {
		lang = msg.Zh
	}
	return msg.Render(t.In(lang), lang, args)
}

// ids reports whether terms are shown as ids.
func (v view) ids() bool { return v.Terms == policy.LangIDs }

// lang is the language of the command's words: Chinese unless --lang or
// the environment chose English.
func (a *App) lang() string {
	if a.Lang == "" {
		return msg.Zh
	}
	return a.Lang
}

// say is t in the command's language, each {name} filled from args: the
// success lines of the write commands.
func (a *App) say(t msg.Text, args msg.Args) string { return view{Lang: a.lang()}.say(t, args) }
