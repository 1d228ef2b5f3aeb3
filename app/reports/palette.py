"""The colours the documents share (a sober palette with the red of official documents)."""

from reportlab.lib import colors

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5F6B7A")
ACCENT = colors.HexColor("#9E1B1B")
GOLD = colors.HexColor("#B08D3C")
RULE = colors.HexColor("#C5CCD6")
HEADER_FILL = colors.HexColor("#E8ECF2")
STRIPE_FILL = colors.HexColor("#F6F8FA")
#: Series colours for charts, distinguishable in grey print too.
SERIES = tuple(colors.HexColor(code) for code in (
    "#2F6DB5", "#3A9D5D", "#E0A526", "#C8553D", "#8E7CC3", "#5BA3A8",
))
