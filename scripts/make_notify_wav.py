"""Write assets/notify.wav: the workbench's quiet two-note chime (generated, no outside file).

``python scripts/make_notify_wav.py`` rewrites it; 8 kHz, 8-bit mono, about 0.35 s, 3 kB.
"""

from __future__ import annotations

import math
import wave
from pathlib import Path

RATE = 8000
NOTES = ((880.0, 0.16), (1318.5, 0.20))  # A5 then E6
VOLUME = 0.25  # of full scale: quiet


def samples() -> bytes:
    """Return the chime's 8-bit unsigned samples (each note fades out)."""
    out = bytearray()
    for freq, seconds in NOTES:
        n = int(RATE * seconds)
        for i in range(n):
            fade = (1 - i / n) ** 2
            value = VOLUME * fade * math.sin(2 * math.pi * freq * i / RATE)
            out.append(int(round(128 + 127 * value)))
    return bytes(out)


def main() -> None:
    """Write the chime beside the other assets."""
    path = Path(__file__).resolve().parent.parent / "assets" / "notify.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(RATE)
        wav.writeframes(samples())
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
