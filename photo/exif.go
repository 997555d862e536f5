package photo

import "encoding/binary"

// exifOrientation returns the EXIF orientation (1–8) of a JPEG, or 1 when it has
// none or it cannot be read. It walks the marker segments before the first scan and
// reads only the Orientation tag (0x0112) of IFD0; every offset is bounds-checked.
func exifOrientation(data []byte) int {
	if !isJPEG(data) {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return 1
		}
		marker := data[i+1]
		switch {
		case marker == 0xff: // fill byte
			i++
			continue
		case marker == 0xd8 || marker >= 0xd0 && marker <= 0xd7: // no length
			i += 2
			continue
		case marker == 0xda || marker == 0xd9: // start of scan, end of image
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		if marker == 0xe1 {
			if o := tiffOrientation(data[i+4 : i+2+n]); o != 0 {
				return o
			}
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads the orientation from an APP1 payload ("Exif\0\0" + TIFF).
func tiffOrientation(p []byte) int {
	if len(p) < 14 || string(p[:6]) != "Exif\x00\x00" {
		return 0
	}
	t := p[6:]
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > int64(len(t)) {
		return 0
	}
	count := int(bo.Uint16(t[ifd:]))
	for k := range count {
		e := ifd + 2 + int64(k)*12
		if e+12 > int64(len(t)) {
			return 0
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		if bo.Uint16(t[e+2:]) != 3 { // SHORT
			return 0
		}
		if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
			return o
		}
		return 0
	}
	return 0
}

// stored maps a point of the displayed picture (dw×dh once orientation o is
// applied) to the stored picture. With pixel set, points are pixel indices;
// otherwise they are edges, as for the corners of a rectangle.
func stored(o, x, y, dw, dh int, pixel bool) (int, int) {
	e := 0
	if pixel {
		e = 1
	}
	switch o {
	case 2:
		return dw - e - x, y
	case 3:
		return dw - e - x, dh - e - y
	case 4:
		return x, dh - e - y
	case 5:
		return y, x
	case 6:
		return y, dw - e - x
	case 7:
		return dh - e - y, dw - e - x
	case 8:
		return dh - e - y, x
	}
	return x, y
}
