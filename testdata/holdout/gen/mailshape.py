"""Mail shaped as Outlook 365, Thunderbird and webmail write it.

Every function returns the message as bytes with CRLF line ends. Bodies
are plain text paragraphs separated by blank lines.
"""

import base64
import hashlib
import quopri
import textwrap
from email.header import Header

DATE = "Tue, 5 Mar 2024 09:%02d:11 +0100"


def _id(seed):
    return hashlib.sha1(seed.encode()).hexdigest()


def _qp(text, charset):
    return quopri.encodestring(text.replace("\n", "\r\n").encode(charset, "replace")).decode("ascii")


def _b64(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def _subject(s, charset):
    try:
        s.encode("ascii")
        return s
    except UnicodeEncodeError:
        return Header(s, charset).encode()


def _addr(a, charset):
    name, _, rest = a.partition(" <")
    if not rest or name.isascii():
        return a
    return "%s <%s" % (Header(name, charset).encode(), rest)


def attachment_part(name, data, ctype, outlook=False):
    head = 'Content-Type: %s; name="%s"\r\n' % (ctype, name)
    head += 'Content-Description: %s\r\n' % name if outlook else ""
    head += 'Content-Disposition: attachment; filename="%s"\r\n' % name
    if ctype == "message/rfc822":
        return head.replace('; name="%s"' % name, "") + "\r\n" + data.decode("utf-8", "replace")
    return head + "Content-Transfer-Encoding: base64\r\n\r\n" + _b64(data)


def _multipart(ctype, boundary, parts):
    out = "Content-Type: %s;\r\n\tboundary=\"%s\"\r\n\r\n" % (ctype, boundary)
    for p in parts:
        out += "--%s\r\n%s\r\n" % (boundary, p)
    return out + "--%s--\r\n" % boundary


def _html(body, charset):
    paras = []
    for p in body.split("\n\n"):
        p = p.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>\r\n")
        paras.append('<p class="MsoNormal"><span lang="DA">%s<o:p></o:p></span></p>\r\n'
                     '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>' % p)
    return ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
            'xmlns="http://www.w3.org/TR/REC-html40">\r\n<head>\r\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=%s">\r\n'
            '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\r\n'
            '<style><!--\r\n/* Font Definitions */\r\n@font-face\r\n\t{font-family:"Cambria Math";}\r\n'
            'p.MsoNormal, li.MsoNormal, div.MsoNormal\r\n\t{margin:0cm;\r\n\tfont-size:11.0pt;\r\n'
            '\tfont-family:"Calibri",sans-serif;}\r\n--></style>\r\n</head>\r\n'
            '<body lang="DA" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">\r\n'
            '<div class="WordSection1">\r\n%s\r\n</div>\r\n</body>\r\n</html>\r\n') % (charset, "\r\n".join(paras))


def outlook(seq, subject, body, attachments=(), frm="Mette Kjær <mkj@kommune.example>",
            to="Peter Lund <pl@partner.example>", charset="windows-1252"):
    """Outlook 365: multipart/alternative (text/plain and MsoNormal HTML),
    quoted-printable Windows-1252, inside multipart/mixed with
    attachments; X-MS-* fields."""
    tid = base64.b64encode(bytes.fromhex(_id(subject))[:16]).decode()
    alt = _multipart("multipart/alternative", "_000_%s_" % _id(subject + "a")[:24], [
        'Content-Type: text/plain; charset="%s"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n%s'
        % (charset, _qp(body, charset)),
        'Content-Type: text/html; charset="%s"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n%s'
        % (charset, _qp(_html(body, charset).replace("\r\n", "\n"), charset)),
    ])
    head = ("From: %s\r\nTo: %s\r\nSubject: %s\r\nThread-Topic: %s\r\nThread-Index: %s\r\n"
            "Date: %s\r\nMessage-ID: <DB9PR10MB%s@DB9PR10MB.EURPRD10.PROD.OUTLOOK.COM>\r\n"
            "Accept-Language: da-DK, en-US\r\nContent-Language: da-DK\r\n"
            "X-MS-Has-Attach: %s\r\nX-MS-TNEF-Correlator:\r\n"
            "x-ms-publictraffictype: Email\r\nx-ms-exchange-organization-scl: -1\r\n"
            "MIME-Version: 1.0\r\n") % (
        _addr(frm, charset), _addr(to, charset), _subject(subject, charset), _subject(subject, charset), tid, DATE % seq,
        _id(subject)[:20].upper(), "yes" if attachments else "")
    if not attachments:
        return (head + alt).encode("ascii")
    parts = [alt.rstrip("\r\n")]
    for name, data, ctype in attachments:
        parts.append(attachment_part(name, data, ctype, outlook=True))
    return (head + _multipart("multipart/mixed", "_004_%s_" % _id(subject + "m")[:24], parts)).encode("utf-8")


def flowed(text, width=72):
    """RFC 3676 format=flowed: soft breaks end with a space; quoted lines
    keep their '>' prefix."""
    out = []
    for line in text.split("\n"):
        prefix = ""
        while line.startswith(">"):
            prefix += ">"
            line = line[1:].lstrip(" ") if not line.startswith(">>") else line[1:]
        if prefix:
            prefix += " "
        if line.startswith(("From ", " ")) and not prefix:
            line = " " + line
        wrapped = textwrap.wrap(line, width - len(prefix), break_long_words=False, break_on_hyphens=False) or [""]
        for i, w in enumerate(wrapped):
            out.append(prefix + w + (" " if i < len(wrapped) - 1 else ""))
    return "\r\n".join(out)


def thunderbird(seq, subject, body, attachments=(), frm="Søren Bak <sb@region.example>",
                to="hr@firma.example"):
    """Thunderbird 115: text/plain UTF-8 format=flowed, 8bit; attachments
    base64 in multipart/mixed with its boundary style."""
    text = ('Content-Type: text/plain; charset=UTF-8; format=flowed\r\n'
            'Content-Transfer-Encoding: 8bit\r\n\r\n' + flowed(body) + "\r\n")
    head = ("Message-ID: <%s@region.example>\r\nDate: %s\r\nMIME-Version: 1.0\r\n"
            "User-Agent: Mozilla Thunderbird\r\nContent-Language: da\r\nTo: %s\r\nFrom: %s\r\n"
            "Subject: %s\r\n") % (_id(subject)[:8] + "-" + _id(subject)[8:12], DATE % seq, to,
                                  _addr(frm, "utf-8"),
                                  _subject(subject, "utf-8"))
    if not attachments:
        return (head + text).encode("utf-8")
    parts = [text.rstrip("\r\n")]
    for name, data, ctype in attachments:
        parts.append(attachment_part(name, data, ctype))
    return (head + _multipart("multipart/mixed", "------------" + _id(subject)[:24], parts)).encode("utf-8")


def webmail(seq, subject, body, attachments=(), frm="kontakt@borger.example", to="post@kommune.example"):
    """Roundcube-style webmail: text/plain UTF-8 quoted-printable (or an
    alternative with HTML when there are no attachments)."""
    text = ('Content-Type: text/plain; charset=UTF-8;\r\n format=flowed\r\n'
            'Content-Transfer-Encoding: quoted-printable\r\n\r\n' + _qp(flowed(body).replace("\r\n", "\n"), "utf-8"))
    head = ("MIME-Version: 1.0\r\nDate: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\n"
            "Message-ID: <%s@webmail.example>\r\nX-Sender: %s\r\nUser-Agent: Roundcube Webmail/1.6.5\r\n") % (
        DATE % seq, frm, to, _subject(subject, "utf-8"), _id(subject)[:32], frm)
    if not attachments:
        return (head + text).encode("ascii")
    parts = [text.rstrip("\r\n")]
    for name, data, ctype in attachments:
        parts.append(attachment_part(name, data, ctype))
    return (head + _multipart("multipart/mixed", "=_" + _id(subject)[:32], parts)).encode("utf-8")


def forward_attached(seq, subject, note, inner):
    """Thunderbird 'Forward As Attachment': the original as message/rfc822."""
    return thunderbird(seq, subject, note, [("Videresendt besked.eml", inner, "message/rfc822")])


def forward_inline(seq, subject, note, inner_from, inner_subject, inner_body):
    """Outlook's inline forward: the original under a From/Sent block."""
    body = ("%s\n\nMed venlig hilsen\nMette\n\nFra: %s\nSendt: 4. marts 2024 15:12\nTil: Mette Kjær\n"
            "Emne: %s\n\n%s") % (note, inner_from, inner_subject, inner_body)
    return outlook(seq, subject, body)


def reply_quoted(seq, subject, text, quoted_from, quoted):
    """Thunderbird reply: the history quoted with '> '."""
    q = "\n".join("> " + ln if ln else ">" for ln in quoted.split("\n"))
    body = "%s\n\nDen 04.03.2024 kl. 14:02 skrev %s:\n%s" % (text, quoted_from, q)
    return thunderbird(seq, subject, body)


def ics(summary, description, location="Mødelokale 2"):
    """An Outlook-style invitation, folded at 75 octets with RFC 5545
    escapes."""
    def esc(s):
        return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    def fold(line):
        b = line.encode("utf-8")
        out, cur = [], b""
        for ch in line:
            e = ch.encode("utf-8")
            if len(cur) + len(e) > (75 if not out else 74):
                out.append(cur)
                cur = b""
            cur += e
        out.append(cur)
        return b"\r\n ".join(out).decode("utf-8")
    lines = ["BEGIN:VCALENDAR", "METHOD:REQUEST", "PRODID:Microsoft Exchange Server 2010", "VERSION:2.0",
             "BEGIN:VEVENT", "ORGANIZER;CN=Mette Kjær:mailto:mkj@kommune.example",
             "DESCRIPTION;LANGUAGE=da-DK:" + esc(description), "UID:" + _id(summary),
             "SUMMARY;LANGUAGE=da-DK:" + esc(summary), "DTSTART;TZID=Romance Standard Time:20240312T100000",
             "DTEND;TZID=Romance Standard Time:20240312T110000", "LOCATION;LANGUAGE=da-DK:" + esc(location),
             "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(l) for l in lines) + "\r\n").encode("utf-8")


def vcf(name, org, tel, note=""):
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:" + name, "N:%s;%s;;;" % (name.split()[-1], name.split()[0]),
             "ORG:" + org, "TEL;TYPE=WORK,VOICE:" + tel]
    if note:
        n = "NOTE:" + note.replace(",", "\\,").replace("\n", "\\n")
        lines += [n[:75]] + [" " + n[i:i + 74] for i in range(75, len(n), 74)]
    lines.append("END:VCARD")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
