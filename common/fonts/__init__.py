from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
