// Package seal encrypts personal data inside case files with age
// (filippo.io/age): each value is sealed on its own, as an armored age
// message, for the recipients the repository declares in
// policies/recipients.txt. The plaintext inside is a small envelope that
// names the case and the field the value was sealed for, so a ciphertext
// copied into another case or field fails to open with a message that
// says where it came from. A case can leave recipients out (recusal): the
// values of that case are then sealed without them, and no key of theirs
// opens them.
//
// The package knows nothing of policies or git: callers say which fields
// hold personal data and where the bytes go.
package seal
