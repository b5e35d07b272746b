"""The award registry (issue #12 §5): every award decided, searched accent-blind by name or by citizen ID, filtered
by unit, kind, occasion, year and decision dates; its Excel export; statistics by district, kind and occasion; form
0603.N of Circular 02/2023/TT-BNV; and the family awards shown on a household's page."""
