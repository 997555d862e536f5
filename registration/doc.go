// Package registration decides periodic registration (定期注册) of teacher qualifications:
// windows (网报时间), authorities (注册机构), confirmation points (确认点), the eight-step wizard,
// applications and their statuses (注册结论), the submission gates and the conclusion rules.
//
// It is pure: it decides, a Store persists. The portal's store implements Store over bun; the
// registrationtest package has an in-memory one for tests.
//
// # The pieces
//
//   - Status, Actor and CanTransition are the whole status machine: 网报待确认 → 已确认 by the
//     confirmation point, 网报待确认 → 已撤回 by the applicant, 已确认 → 注册合格 / 暂缓注册 / 注册不合格
//     or back to 网报待确认 by the authority. (*Application).Transition applies it and records an Event.
//   - Window.Check says whether a window is open ([Opens, Closes)); Catalogue.Search answers the
//     window query (province → city → stage → authority) with windows and confirmation points.
//   - CheckChoice (catalogue gates) and CheckEligibility (store gates) are the submission gates;
//     every refusal is an *Error with a stable Code and a zh-CN Message, matched with errors.Is.
//   - Wizard is the serialisable state of steps 0–7; Next validates each post (fields through
//     package form, photos through their photo.Report, certificates through package certificate)
//     and at step 6 creates the Application through the Store with Submit.
//   - Assess suggests a conclusion from a CycleRecord, with the reasons.
//
// # Versions and optimistic locking
//
// Application.Version belongs to the store. Domain methods (Transition, Edit, AddMessage,
// MarkRead) change the value and never the version; Store.SaveApplication writes only when the
// stored version equals Version and then increments both, or returns ErrConflict. A handler
// therefore reads, calls the domain method, saves, and on ErrConflict shows the conflict message.
//
// # Application numbers
//
// A 报名号 is 14 digits: year (CST) + province code of the authority + an 8-digit sequence that
// the Store hands out per (year, province); see ApplicationNumber and SequenceNumbers. Submit
// numbers and creates an application; a NumberingStore may draw the number as it inserts.
package registration
