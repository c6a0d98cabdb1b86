package main

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	qrcode "github.com/skip2/go-qrcode"
)

func TestDecodeQRFileReadsWhatTheDemoRenders(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{160, 320, 600} {
		otp := protocol.NewOTP()
		path := filepath.Join(dir, "qr.png")
		// The demo page renders its QR codes this way (demo/qr.go).
		if err := qrcode.WriteFile(otp, qrcode.Medium, size, path); err != nil {
			t.Fatal(err)
		}
		got, err := decodeQRFile(path)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if got != otp {
			t.Fatalf("size %d: decoded %q, want %q", size, got, otp)
		}
	}
}

func TestDecodeQRFileRefusesImagesWithoutACode(t *testing.T) {
	dir := t.TempDir()
	blank := filepath.Join(dir, "blank.png")
	img := image.NewGray(image.Rect(0, 0, 100, 100))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	img.Set(50, 50, color.Black)
	f, _ := os.Create(blank)
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := decodeQRFile(blank); err == nil || !strings.Contains(err.Error(), "no QR code") {
		t.Fatalf("blank image: err = %v, want no QR code", err)
	}
	text := filepath.Join(dir, "not-an-image.png")
	os.WriteFile(text, []byte("hello"), 0o600)
	if _, err := decodeQRFile(text); err == nil {
		t.Fatal("a text file decoded as a QR image")
	}
	if _, err := decodeQRFile(filepath.Join(dir, "missing.png")); err == nil {
		t.Fatal("a missing file decoded")
	}
}
