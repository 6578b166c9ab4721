"""Annual reports of a place: page, workbook and PDF from one service function."""
