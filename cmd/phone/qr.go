package main

import (
	"fmt"
	"image"
	_ "image/gif"  // QR images may be GIF
	_ "image/jpeg" // or JPEG
	_ "image/png"  // or PNG
	"os"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// decodeQRFile reads the text of the QR code in an image file.
func decodeQRFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("QR image: %w", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return "", fmt.Errorf("QR image %s: %w", path, err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", fmt.Errorf("QR image %s: %w", path, err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", fmt.Errorf("no QR code found in %s", path)
	}
	return res.GetText(), nil
}
