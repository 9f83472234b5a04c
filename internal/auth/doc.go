// Package auth holds the security primitives of KTGS sign-in: password
// hashing and policy, TOTP second factors, recovery codes, API tokens and
// session ids, and the login throttling policy. It is pure: no database, no
// HTTP, no global mutable state. Callers store what it returns and pass it
// back.
//
// # Passwords
//
// Hasher hashes passwords with argon2id (RFC 9106) into PHC strings:
//
//	$argon2id$v=19$m=65536,t=2,p=2$<salt>$<key>
//
// with a 16-byte random salt and a 32-byte key, both in unpadded standard
// base64. Passwords are normalised to Unicode NFC before hashing, so a
// Vietnamese password typed on a keyboard that produces decomposed text
// (e.g. "Unicode tổ hợp" in Unikey, or macOS) still matches. Each hash
// allocates Params.Memory KiB (64 MiB by default) and takes about 70 ms on a
// 2-core machine, so a Hasher lets at most MaxConcurrent hashes (default 4,
// so 256 MiB) run at once and makes the others wait for a slot or for their
// context. Verify reports needsRehash when the stored parameters differ from
// the current ones: store a new Hash then, while the plain password is at
// hand. Stored hashes whose parameters exceed fixed limits (1 GiB, 32
// passes, 64 lanes) are refused rather than computed, so a tampered database
// cannot exhaust memory.
//
// CheckPasswordPolicy applies the password rules (NIST SP 800-63B style:
// length and a blocklist, no composition rules): 12 to 256 characters, not
// a repeated block or simple sequence, not a common password, not
// containing the user's name or username. Comparisons fold case, Vietnamese
// diacritics (đ → d) and white space. Its errors are *ktgs.Error values on
// field "password" whose keys ("err.auth.…") have Vietnamese and English
// texts in Messages.
//
// # Common passwords
//
// common-passwords.txt holds 10,295 entries in two parts:
//
//  1. All 10,000 entries of SecLists'
//     Passwords/Common-Credentials/10-million-password-list-top-10000.txt
//     (https://github.com/danielmiessler/SecLists, commit
//     74d9d3259d82c441c1217104cb7debd5912178b6, MIT License, Daniel
//     Miessler), unchanged and in order. Only 24 of them are 12 or more
//     characters long, so with the length rule most of this part is
//     redundant; it is kept whole so that the file can be compared with its
//     source.
//  2. 295 Vietnamese passwords added for KTGS, already folded (lower case,
//     no diacritics): mật khẩu, love phrases (anhyeuem, emyeuanh …), places,
//     Party and state words and dates (dangcongsan, 03021930, 02091945 …),
//     the app's own names (ktgs, ubkt, uybankiemtra …), lucky numbers
//     (68686868 …), common names and admin defaults, with the numeric
//     suffixes people add. 102 of them are at least 12 characters long.
//     Entries already in part 1 are left out. Some common but vulgar
//     Vietnamese passwords are deliberately not included.
//
// Lines starting with "#" are comments. The list is parsed once, on first
// use.
//
// # Second factor
//
// TOTP follows RFC 6238 over RFC 4226 with SHA-1, 6 digits and 30-second
// steps, which every authenticator app supports. Secrets are 20 random bytes
// in base32. VerifyTOTP accepts one step of clock drift either way and
// refuses any step at or before the last one accepted, so each code works
// once; the caller stores the returned counter. TOTPURI and QRCodeSVG make
// the enrolment QR code as inline SVG that a strict Content-Security-Policy
// allows.
//
// Recovery codes ("k7m2-p9xq-4hfd", 60 bits, Crockford base32 alphabet)
// are stored as SHA-256 hashes and matched in constant time.
//
// # Tokens
//
// API tokens ("<prefix>_<52 base32 chars>"), session ids and the one-time
// setup token carry 256 random bits each. The database stores only their
// SHA-256 (HashToken), so a copy of the database cannot be replayed as
// tokens or cookies; a plain hash suffices because the inputs are random.
//
// # Throttling
//
// Throttle computes, from a count of consecutive failures and the time of
// the last one, how long a login must wait and whether the account is
// locked. DefaultThrottle (per account) allows 3 free attempts, then waits
// 1 s doubling to 30 s, and locks for 15 minutes after 10 failures: about
// 13 guesses an hour. DefaultIPThrottle (per client address) allows 20, then
// waits up to 60 s, and never locks, because offices share addresses.
package auth
