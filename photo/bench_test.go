package photo_test

import (
	"bytes"
	"image/jpeg"
	"sync"
	"testing"

	"github.com/tqreg/tqreg/photo"
)

// Each benchmark of the package comes with its floor, measured in the same run:
//
//	BenchmarkCheck               vs BenchmarkJPEGDecode       (target ≤ 1.3×)
//	BenchmarkCheckRejectByHeader vs BenchmarkJPEGDecodeConfig (target ≤ 2×)
//	BenchmarkNormalize           vs BenchmarkJPEGDecodePhone  (context: decoding alone)

var (
	benchOnce  sync.Once
	benchPhoto []byte // a 295×413 JPEG of about 120 KB that passes Check
)

func benchData(b *testing.B) []byte {
	benchOnce.Do(func() {
		benchPhoto = jpegNear(b, portrait(295, 413, white, 6, 295), 120*kb, 110*kb, 130*kb)
	})
	if r := photo.Registration.Check(benchPhoto); !r.OK() {
		b.Fatalf("bench photo fails Check: %+v", r.Problems)
	}
	return benchPhoto
}

func hugeHeader(b *testing.B) []byte { return withSize(b, smallJPEG(), 60000, 60000) }

func BenchmarkCheck(b *testing.B) {
	data := benchData(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if r := photo.Registration.Check(data); !r.OK() {
			b.Fatal(r.Problems)
		}
	}
}

func BenchmarkJPEGDecode(b *testing.B) {
	data := benchData(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckRejectByHeader(b *testing.B) {
	data := hugeHeader(b)
	b.ReportAllocs()
	for b.Loop() {
		if r := photo.Registration.Check(data); !r.Has(photo.CodeWidth) {
			b.Fatal(r.Problems)
		}
	}
}

func BenchmarkJPEGDecodeConfig(b *testing.B) {
	data := hugeHeader(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jpeg.DecodeConfig(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalize(b *testing.B) {
	data := phonePhoto()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := photo.Normalize(data, photo.Registration); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJPEGDecodePhone(b *testing.B) {
	data := phonePhoto()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
