"""Printable Russian documents (the register, destruction acts) with a Cyrillic font from a package.

The font ships in the `font-source-sans-pro` wheel, so a PDF looks the same on every server,
whatever fonts the system happens to have.
"""

from pathlib import Path
from typing import Literal

import font_source_sans_pro
from fpdf import FPDF

FONT_DIR = Path(font_source_sans_pro.font_directory)
FAMILY = "SourceSans"


def new_document(orientation: Literal["portrait", "landscape"] = "portrait", title: str = "") -> FPDF:
    pdf = FPDF(orientation="L" if orientation == "landscape" else "P", unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(FONT_DIR / "SourceSansPro-Regular.ttf"))
    pdf.add_font(FAMILY, "B", str(FONT_DIR / "SourceSansPro-Bold.ttf"))
    pdf.add_font(FAMILY, "I", str(FONT_DIR / "SourceSansPro-It.ttf"))
    pdf.set_font(FAMILY, size=10)
    pdf.set_auto_page_break(auto=True, margin=15)
    if title:
        pdf.set_title(title)
    pdf.set_creator("Опора")
    return pdf
