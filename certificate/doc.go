// Package certificate models teacher qualification certificates (教师资格证书): their
// 15- or 17-digit numbers, qualification kinds (资格种类), the manual-entry rule and the
// certificate queries.
package certificate
