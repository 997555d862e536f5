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
		{"four cores", 4, 16},
		{"seven cores", 7, 28},
		{"eight cores reach the cap", 8, 32},
		{"sixteen cores stay at the cap", 16, 32},
		{"two large machines' processes fit Postgres's default max_connections", 128, 32},
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
