#!/usr/bin/env python3
"""Writes the hand-built JPEG regression inputs in image_decode/ (see README.md); rerun after changing one.

Each file is a minimal 8x8 greyscale JPEG around one flaw that an outside fuzz run (issue 14) found the probe in
shared/src/image_probe.cpp letting through to stb_image 2.27. tests/shared/test_image.cpp decodes every one of them.
"""
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent / "image_decode"


def segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


SOI, EOI = b"\xff\xd8", b"\xff\xd9"
DQT = segment(0xDB, bytes([0x00]) + bytes([1] * 64))                  # table 0, 8-bit, all ones
SOF0 = segment(0xC0, bytes([8, 0, 8, 0, 8, 1, 1, 0x11, 0]))           # baseline 8x8, one component (id 1, table 0)
SOF2 = segment(0xC2, bytes([8, 0, 8, 0, 8, 1, 1, 0x11, 0]))           # the same, progressive
ONE_CODE = bytes([1] + [0] * 15) + bytes([0])                          # one 1-bit code, for symbol 0
DHT_DC0 = segment(0xC4, bytes([0x00]) + ONE_CODE)                      # DC 0: '0' = difference 0
DHT_AC0 = segment(0xC4, bytes([0x10]) + ONE_CODE)                      # AC 0: '0' = end of block
SOS = segment(0xDA, bytes([1, 1, 0x00, 0, 63, 0]))                     # component 1 with DC 0 / AC 0, full spectrum
SOS_DC_FIRST = segment(0xDA, bytes([1, 1, 0x00, 0, 0, 0]))             # progressive: first DC pass


def hidden_dht():
    # 8 x 255 codes of lengths 9..16 (2040 symbols; a prefix code, so stb accepts it), for AC table 1: stb's
    # Huffman builder writes 2040 entries into tables of 256.
    counts = bytes([0] * 8 + [255] * 8)
    return segment(0xC4, bytes([0x11]) + counts + bytes(2040))


def ff_ff_00_hidden_dht():
    # In the scan, FF FF 00 is one stuffed FF to stb (fill byte, then stuffing). The old probe read it as fill then
    # marker 00 with the next two bytes as its length, and skipped those bytes unchecked: that is where the DHT is.
    dht = hidden_dht()
    scan = b"\x00" + b"\xff\xff\x00" + struct.pack(">H", len(dht) + 2) + dht
    return SOI + DQT + SOF0 + DHT_DC0 + DHT_AC0 + SOS + scan + EOI


FILES = {
    "jpeg_ff_ff_00_hidden_dht.jpg": ff_ff_00_hidden_dht(),
    # Issue 14's 33-byte file: a progressive frame and scan but no DQT or DHT at all.
    "jpeg_progressive_no_tables.jpg": SOI + SOF2 + SOS_DC_FIRST + bytes(8) + EOI,
    # The same for a baseline frame, and one whose Huffman tables exist but whose quantisation table does not.
    "jpeg_baseline_no_tables.jpg": SOI + SOF0 + SOS + bytes(4) + EOI,
    "jpeg_baseline_no_dqt.jpg": SOI + SOF0 + DHT_DC0 + DHT_AC0 + SOS + bytes(4) + EOI,
    # A frame and its tables but no scan: stb would return its pixel buffer as allocated, never written.
    "jpeg_frame_without_scan.jpg": SOI + DQT + SOF0 + DHT_DC0 + DHT_AC0 + EOI,
    # Control: the same tables and one scan make a valid (flat grey) image that must still decode.
    "jpeg_minimal_valid.jpg": SOI + DQT + SOF0 + DHT_DC0 + DHT_AC0 + SOS + bytes(4) + EOI,
    # 16x8 with a restart interval of 1 MCU but no restart marker: stb stops the scan after the first block and never
    # writes the second; decode_image must give zeros there (stb's buffers are zeroed), not stale heap contents.
    "jpeg_restart_stops_scan_early.jpg": SOI + DQT + segment(0xC0, bytes([8, 0, 8, 0, 16, 1, 1, 0x11, 0])) + DHT_DC0
    + DHT_AC0 + segment(0xDD, bytes([0, 1])) + SOS + bytes(4) + EOI,
    # Control: a fill byte before stuffing (FF FF 00) inside a scan is data, and the file decodes.
    "jpeg_ff_ff_00_in_scan_valid.jpg": SOI + DQT + SOF0 + DHT_DC0 + DHT_AC0 + SOS + b"\x00\xff\xff\x00\x00\x00" + EOI,
}

if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")
