"""MIME types and small helpers shared by the second round's cases."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PDF = "application/pdf"
RTF = "application/rtf"
CSV = "text/csv"
ZIP = "application/zip"
ICS = "text/calendar"
HTML = "text/html"


def _qp(text, charset):
    """Quoted-printable with CRLF soft and hard line breaks: the first
    round's mailshape._qp leaves quopri's soft breaks as bare LF, which
    only never showed because its lines were short."""
    import quopri
    enc = quopri.encodestring(text.replace("\r\n", "\n").encode(charset, "replace")).decode("ascii")
    return enc.replace("\n", "\r\n")


def patch_mailshape():
    import mailshape
    mailshape._qp = _qp
