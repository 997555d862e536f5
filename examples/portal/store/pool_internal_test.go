package store

import "testing"

func TestDefaultPoolGrowsWithTheMachineWithinBounds(t *testing.T) {
	cases := []struct {
		name  string
		procs int
		want  int
	}{
		{"one core still overlaps a few round trips", 1, 4},
		{"two cores", 2, 8},
		{"eight cores", 8, 32},
		{"sixteen cores reach the cap", 16, 64},
		{"a large machine stays under Postgres's default max_connections", 128, 64},
		{"a nonsense count gets the minimum", 0, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := maxOpenConnsFor(tc.procs); got != tc.want {
				t.Errorf("maxOpenConnsFor(%d) = %d, want %d", tc.procs, got, tc.want)
			}
		})
	}
}
