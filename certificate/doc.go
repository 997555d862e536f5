// Package certificate models teacher qualification certificates (教师资格证书): their
// 15- or 17-digit numbers, qualification kinds (资格种类), the manual-entry rule and the
// certificate queries (证书查询). It is pure: no I/O, the clock is a parameter.
//
//   - ParseNumber / ParseNumberAt turn text into a Number, a small comparable value
//     (0 allocations on the valid path); failures are *NumberError matching ErrInvalidNumber.
//   - Kind is the closed set 1 幼儿园 … 7 高等学校; Registrable is 1–6.
//   - ManualEntryAllowed applies SPEC §2: synced certificates (2008 on; Guangxi 2012 on) and
//     certificates already through 首次注册 may not be added by hand.
//   - Own and Other are the two queries (本人查询, 其他查询) as pure filters; QueryNotice,
//     NotFoundMessage and UnsyncedReasons are the texts the portal shows; MaskDocument hides
//     the middle of a document number for display.
package certificate
