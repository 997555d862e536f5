// Package photo checks registration photos (照片) against the manual's spec and
// normalises portraits so they pass. It reads only the bytes handed to it.
package photo
