// Package photo checks registration photos (照片) against the manual's spec and
// normalises portraits so they pass. It reads only the bytes handed to it.
//
// [Spec.Check] never trusts a file name: the bytes decide the format. It reads the
// JPEG header before any pixel, so a small file that claims 60000×60000 pixels is
// refused without allocating for it, and it reports every problem at once (a file
// can be too large and too wide). [Normalize] turns a JPEG or PNG portrait into a
// JPEG that passes Check, except for a background it cannot invent.
package photo
