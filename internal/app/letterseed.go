package app

import (
	"ktgs"
	"ktgs/internal/rules"
	"ktgs/internal/sealed"
)

// Letter helpers for bulk writers (the synthetic-data generator,
// internal/seed), which build letters without going through the use
// cases: each one runs the very code the use cases run, so that bulk
// letters are sealed, tagged, keyed, classified and clocked exactly as
// letters recorded through the service.

// SealLetterSender seals snd into l with keys and sets its blind-index
// tags (the same sender; the sender is member N), as recording a letter
// does. An empty sender leaves all three empty.
func SealLetterSender(keys *sealed.Keyring, l *ktgs.Letter, snd *ktgs.Sender) error {
	return (&Service{Keys: keys}).sealSender(l, snd)
}

// OpenLetterSender opens the sealed sender of l with keys (an empty
// sender when none was sealed).
func OpenLetterSender(keys *sealed.Keyring, l *ktgs.Letter) (*ktgs.Sender, error) {
	return (&Service{Keys: keys}).openSender(l)
}

// LetterKeys returns the duplicate-finding keys of l (its sender tag and
// accused), as stored in letter_keys.
func LetterKeys(l *ktgs.Letter) []string {
	return (&Service{}).letterKeys(l)
}

// LetterKindOf returns the kind of l from its sender mode and
// allegations, as recording and classifying a letter set it.
func LetterKindOf(l *ktgs.Letter) ktgs.LetterKind {
	return letterKind(l)
}

// LetterRule asks rule (R12 or R14) of reg on req, as a letter step does,
// and returns the decision with its JSON (the form letters.intake and a
// history line keep it in).
func LetterRule(reg *rules.Registry, rule string, req any) (*rules.Decision, string, error) {
	dec, err := (&Service{Rules: reg}).askRule(rule, req, nil)
	if err != nil {
		return nil, "", err
	}
	return dec, ruleJSON(dec), nil
}

// LetterClock asks R14 of reg on req and stores the clock on l (its
// letters.clock JSON, due date and accepted extensions), as classifying
// or extending a letter does.
func LetterClock(reg *rules.Registry, l *ktgs.Letter, req rules.ClockRequest) (*rules.Decision, error) {
	cs, err := (&Service{Rules: reg}).evalClock(l, req)
	if err != nil {
		return nil, err
	}
	return cs.Decision, nil
}

// LetterStepRules renders the rule decisions of one letter step for its
// history line ("" when there are none).
func LetterStepRules(decisions map[string]*rules.Decision) string {
	return stepRules(decisions).json()
}

// LetterGroundsText lists in Vietnamese the R12 grounds of dec, as the
// not-resolved notice to the sender gives them.
func LetterGroundsText(dec *rules.Decision) string {
	return groundsText(dec)
}
