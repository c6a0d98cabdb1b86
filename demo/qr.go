package demo

import (
	"encoding/base64"

	qrcode "github.com/skip2/go-qrcode"
)

// qrDataURI renders text as a QR code PNG (medium error correction, 320 px)
// and returns it as a data: URI for an <img>.
func qrDataURI(text string) (string, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, 320)
	if err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}
