// Package registration decides periodic registration (定期注册): windows, authorities,
// confirmation points, the wizard, applications and their statuses, eligibility gates and
// conclusions. It is pure; a Store declared here persists.
package registration
