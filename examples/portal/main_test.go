package main

import "testing"

func TestSecureCookieSetting(t *testing.T) {
	tests := []struct {
		flag, addr string
		want       bool
	}{
		{"auto", "127.0.0.1:8080", false},
		{"auto", "localhost:8080", false},
		{"auto", "[::1]:8080", false},
		{"auto", "0.0.0.0:8080", true},
		{"auto", "10.1.2.3:443", true},
		{"on", "127.0.0.1:8080", true},
		{"off", "0.0.0.0:8080", false},
	}
	for _, tt := range tests {
		got, err := secureCookieSetting(tt.flag, tt.addr)
		if err != nil || got != tt.want {
			t.Errorf("secureCookieSetting(%q, %q) = %v, %v; want %v", tt.flag, tt.addr, got, err, tt.want)
		}
	}
	if _, err := secureCookieSetting("maybe", "127.0.0.1:8080"); err == nil {
		t.Error("an unknown -secure-cookies value was accepted")
	}
}

func TestSecretKey(t *testing.T) {
	if k, err := secretKey(""); err != nil || k != nil {
		t.Errorf("empty: %v %v", k, err)
	}
	if _, err := secretKey("abcd"); err == nil {
		t.Error("a short key was accepted")
	}
	k, err := secretKey("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
	if err != nil || len(k) != 32 {
		t.Errorf("64 hex characters: %d bytes, %v", len(k), err)
	}
}

func TestDBMaxConns(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"", 0, true},  // machine-sized default
		{"0", 0, true}, // the same
		{"24", 24, true},
		{" 8 ", 8, true},
		{"-1", 0, false},
		{"many", 0, false},
	}
	for _, tt := range tests {
		got, err := dbMaxConns(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("dbMaxConns(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
