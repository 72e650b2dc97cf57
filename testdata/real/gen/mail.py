"""Mail shaped the way real clients write it: Outlook 365, Thunderbird and
web or case-management systems. Everything is CRLF, deterministic (dates,
boundaries and IDs derive from the message name)."""

import base64
import hashlib
import quopri
import textwrap
from email.header import Header
from email.utils import formataddr

CRLF = "\r\n"
MIME_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "pdf": "application/pdf", "rtf": "application/rtf", "html": "text/html",
    "zip": "application/zip", "ics": "text/calendar", "vcf": "text/vcard",
    "png": "image/png", "eml": "message/rfc822",
}


def h(name, seed, n=12):
    return hashlib.sha256((name + seed).encode()).hexdigest()[:n]


def b64(data):
    s = base64.b64encode(data).decode()
    return CRLF.join(s[i:i + 76] for i in range(0, len(s), 76))


def qp(text, charset):
    raw = text.replace("\n", "\r\n").encode(charset)
    return quopri.encodestring(raw).decode("ascii").replace("\r\n", "\n").replace("=\r\n", "=\n").replace("\n", CRLF)


def subj(s, client):
    try:
        s.encode("ascii")
        return s
    except UnicodeEncodeError:
        pass
    if client == "outlook":
        return Header(s, "utf-8").encode(maxlinelen=76, linesep=CRLF)
    if client == "web":
        return Header(s, "iso-8859-1").encode(maxlinelen=76, linesep=CRLF)
    return Header(s, "utf-8").encode(maxlinelen=76, linesep=CRLF).replace("?b?", "?B?")


def attach_part(fname, data, client, name):
    ext = fname.rsplit(".", 1)[-1].lower()
    ctype = MIME_TYPES.get(ext, "application/octet-stream")
    if ext == "eml":
        body = data.decode("utf-8") if isinstance(data, bytes) else data
        return ("Content-Type: message/rfc822; name=\"%s\"%sContent-Disposition: attachment; filename=\"%s\"%s%s%s" % (
            fname, CRLF, fname, CRLF, CRLF, body))
    hdr = 'Content-Type: %s; name="%s"' % (ctype, fname) + CRLF
    if client == "outlook":
        hdr += "Content-Description: %s%s" % (fname, CRLF)
        hdr += 'Content-Disposition: attachment; filename="%s"; size=%d;%s\tcreation-date="Mon, 11 Mar 2024 09:30:00 GMT";%s\tmodification-date="Mon, 11 Mar 2024 09:30:00 GMT"%s' % (
            fname, len(data), CRLF, CRLF, CRLF)
    else:
        hdr += 'Content-Disposition: attachment; filename="%s"%s' % (fname, CRLF)
    hdr += "Content-Transfer-Encoding: base64" + CRLF
    return hdr + CRLF + b64(data) + CRLF


def multipart(subtype, boundary, parts, preamble=""):
    out = "Content-Type: multipart/%s;%s\tboundary=\"%s\"%s%s" % (subtype, CRLF, boundary, CRLF, CRLF)
    if preamble:
        out += preamble + CRLF
    for p in parts:
        out += "--" + boundary + CRLF + p
        if not p.endswith(CRLF):
            out += CRLF
    return out + "--" + boundary + "--" + CRLF


def mso_html(paras, quoted=None):
    """Word-generated HTML as Outlook sends it."""
    head = ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
            'xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n<style><!--\n'
            '/* Font Definitions */\n@font-face\n\t{font-family:"Cambria Math";\n\tpanose-1:2 4 5 3 5 4 6 3 2 4;}\n'
            '@font-face\n\t{font-family:Calibri;\n\tpanose-1:2 15 5 2 2 2 4 3 2 4;}\n'
            '/* Style Definitions */\np.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\tfont-size:11.0pt;\n'
            '\tfont-family:"Calibri",sans-serif;\n\tmso-fareast-language:EN-US;}\nspan.EmailStyle17\n\t{mso-style-type:personal-compose;}\n'
            '@page WordSection1\n\t{size:612.0pt 792.0pt;\n\tmargin:72.0pt 72.0pt 72.0pt 72.0pt;}\ndiv.WordSection1\n\t{page:WordSection1;}\n'
            '--></style><!--[if gte mso 9]><xml>\n<o:shapedefaults v:ext="edit" spidmax="1026" />\n</xml><![endif]-->\n'
            '</head>\n<body lang="DA" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">\n<div class="WordSection1">\n')
    body = ""
    for p in paras:
        t = p.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        body += '<p class="MsoNormal">%s<o:p></o:p></p>\n' % (t or "&nbsp;")
    if quoted:
        qh, qparas = quoted
        body += ('<div>\n<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">\n'
                 '<p class="MsoNormal"><b><span lang="DA">Fra:</span></b><span lang="DA"> %s<br>\n<b>Sendt:</b> %s<br>\n'
                 '<b>Til:</b> %s<br>\n<b>Emne:</b> %s<o:p></o:p></span></p>\n</div>\n</div>\n') % qh
        for p in qparas:
            body += '<p class="MsoNormal">%s<o:p></o:p></p>\n' % p.replace("&", "&amp;").replace("<", "&lt;")
    return head + body + "</div>\n</body>\n</html>\n"


def flowed(paras):
    """format=flowed (RFC 3676): soft line breaks end in a space."""
    out = []
    for p in paras:
        if p.startswith(">"):
            out.append(p)
            continue
        lines = textwrap.wrap(p, 72, break_long_words=False, break_on_hyphens=False) or [""]
        for i, l in enumerate(lines):
            if l.startswith((" ", "From ")):
                l = " " + l
            out.append(l + (" " if i < len(lines) - 1 else ""))
    return CRLF.join(out) + CRLF


PEOPLE = {
    "outlook": ('"Holm, Mette Kjærgaard"', "mkh@kommune.example"),
    "thunderbird": ("Jens Villadsen", "jens@raadgivning.example"),
    "web": ("Sagssystemet", "noreply@sag.kommune.example"),
}
RCPT = ("Peter Lund Kragh", "plk@partner.example")


def _addr(pair):
    name, addr = pair
    try:
        name.encode("ascii")
        return "%s <%s>" % (name, addr)
    except UnicodeEncodeError:
        return formataddr((name.strip('"'), addr), charset="utf-8")


def message(name, client, subject, paras, atts=(), quoted=None, html_only=False, date_min=0, charset=None, extra_parts=()):
    """One message. paras: body paragraphs; atts: (filename, bytes);
    quoted: ((from, sent, to, subject), paras) of the message replied to."""
    date_min = date_min or int(h(name, "date", 4), 16) % 480  # 09:00-16:59
    date = "Mon, 11 Mar 2024 %02d:%02d:%02d +0100" % (9 + date_min // 60, date_min % 60, int(h(name, "s", 2), 16) % 60)
    frm = _addr(PEOPLE[client])
    hdrs = ["From: " + frm, "To: " + _addr(RCPT), "Subject: " + subj(subject, client), "Date: " + date]
    parts_att = [attach_part(fn, data, client, name) for fn, data in atts] + list(extra_parts)
    if client == "outlook":
        cs = charset or "utf-8"
        hdrs += ["Thread-Topic: " + subj(subject.replace("[unsecure] ", ""), client),
                 "Thread-Index: AQHa" + base64.b64encode(bytes.fromhex(h(name, "ti", 24))).decode(),
                 "Message-ID: <DB9PR03MB%s@DB9PR03MB7465.eurprd03.prod.outlook.com>" % h(name, "mid").upper(),
                 "Accept-Language: da-DK, en-US", "Content-Language: da-DK",
                 "X-MS-Has-Attach: " + ("yes" if parts_att else ""), "X-MS-TNEF-Correlator: "]
        plain = "\n\n".join(paras)
        if quoted:
            (qf, qs, qt, qsub), qparas = quoted
            plain += "\n\nFra: %s\nSendt: %s\nTil: %s\nEmne: %s\n\n%s" % (qf, qs, qt, qsub, "\n\n".join(qparas))
        htmltext = mso_html(paras, quoted)
        if cs.lower() != "utf-8":
            htmltext = htmltext.replace("charset=utf-8", "charset=" + cs)
        tp = 'Content-Type: text/plain; charset="%s"%sContent-Transfer-Encoding: quoted-printable%s%s%s' % (
            cs, CRLF, CRLF, CRLF, qp(plain + "\n", cs))
        hp = 'Content-Type: text/html; charset="%s"%sContent-Transfer-Encoding: quoted-printable%s%s%s' % (
            cs, CRLF, CRLF, CRLF, qp(htmltext, cs))
        alt = multipart("alternative", "_000_DB9PR03MB%s_" % h(name, "alt").upper(), [tp, hp])
        if parts_att:
            body = multipart("mixed", "_004_DB9PR03MB%s_" % h(name, "mix").upper(), [alt] + parts_att)
        else:
            body = alt
        hdrs.append("MIME-Version: 1.0")
    elif client == "thunderbird":
        hdrs = ["Message-ID: <%s-%s@raadgivning.example>" % (h(name, "a", 8), h(name, "b", 4)), "Date: " + date,
                "MIME-Version: 1.0",
                "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:102.0) Gecko/20100101" + CRLF + " Thunderbird/102.15.1",
                "Content-Language: da"] + [x for x in hdrs if not x.startswith("Date:")]
        allp = list(paras)
        if quoted:
            (qf, qs, qt, qsub), qparas = quoted
            allp += ["", "Den 08-03-2024 kl. 14:12 skrev %s:" % qf.split(" <")[0]]
            for qpara in qparas:
                for l in textwrap.wrap(qpara, 70) or [""]:
                    allp.append("> " + l)
        tp = "Content-Type: text/plain; charset=UTF-8; format=flowed%sContent-Transfer-Encoding: 8bit%s%s%s" % (
            CRLF, CRLF, CRLF, flowed(allp))
        if parts_att:
            body = multipart("mixed", "------------%s" % h(name, "tb", 24), [tp] + parts_att,
                             preamble="This is a multi-part message in MIME format.")
        else:
            body = tp
    else:
        cs = charset or "iso-8859-1"
        hdrs += ["Message-ID: <%s@sag.kommune.example>" % h(name, "w", 20), "MIME-Version: 1.0",
                 "X-Mailer: Sagssystem 4.2"]
        html = "<html><head><meta charset=\"%s\"><title>Besked</title></head><body style=\"font-family:Arial\">" % cs
        for p in paras:
            html += "<p>%s</p>" % p.replace("&", "&amp;").replace("<", "&lt;")
        if quoted:
            (qf, qs, qt, qsub), qparas = quoted
            html += "<hr><p><b>Fra:</b> %s<br><b>Sendt:</b> %s<br><b>Emne:</b> %s</p><blockquote>%s</blockquote>" % (
                qf, qs, qsub, "".join("<p>%s</p>" % q for q in qparas))
        html += "</body></html>"
        hp = 'Content-Type: text/html; charset="%s"%sContent-Transfer-Encoding: base64%s%s%s%s' % (
            cs, CRLF, CRLF, CRLF, b64(html.encode(cs)), CRLF)
        if parts_att:
            body = multipart("mixed", "=_%s" % h(name, "web", 16), [hp] + parts_att)
        else:
            body = hp
    return (CRLF.join(hdrs) + CRLF + body).encode("utf-8")


def fold_ical(line):
    """RFC 5545 3.1: lines longer than 75 octets are folded with CRLF SP."""
    b = line.encode("utf-8")
    out, cur = [], b""
    i = 0
    while i < len(b):
        lim = 75 if not out else 74
        j = min(len(b), i + lim - len(cur))
        while j < len(b) and (b[j] & 0xC0) == 0x80:
            j -= 1
        out.append(b[i:j])
        i = j
    return (CRLF + " ").join(x.decode("utf-8") for x in out)


def ical_text(s):
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics(name, summary, description, location="Mødelokale 2.14"):
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "VERSION:2.0",
             "METHOD:REQUEST", "BEGIN:VEVENT",
             "ORGANIZER;CN=\"Holm, Mette Kjærgaard\":mailto:mkh@kommune.example",
             "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Peter Lund Kragh:mailto:plk@partner.example",
             "DESCRIPTION;LANGUAGE=da-DK:" + ical_text(description),
             "UID:040000008200E00074C5B7101A82E008000000%s" % h(name, "uid", 24).upper(),
             "SUMMARY;LANGUAGE=da-DK:" + ical_text(summary),
             "DTSTART;TZID=Romance Standard Time:20240318T100000",
             "DTEND;TZID=Romance Standard Time:20240318T110000",
             "DTSTAMP:20240311T083000Z", "LOCATION;LANGUAGE=da-DK:" + ical_text(location),
             "SEQUENCE:0", "STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return (CRLF.join(fold_ical(l) for l in lines) + CRLF).encode("utf-8")


def vcf(fullname, note, org="Kommunen"):
    parts = fullname.split()
    lines = ["BEGIN:VCARD", "VERSION:3.0", "N:%s;%s;;;" % (parts[-1], " ".join(parts[:-1])), "FN:" + fullname,
             "ORG:" + org, "TEL;TYPE=WORK,VOICE:+45 33 12 45 67", "EMAIL;TYPE=INTERNET:kontakt@kommune.example",
             "NOTE:" + ical_text(note), "REV:20240311T083000Z", "END:VCARD"]
    return (CRLF.join(fold_ical(l) for l in lines) + CRLF).encode("utf-8")


def calendar_part(data):
    return ('Content-Type: text/calendar; charset="utf-8"; method=REQUEST%sContent-Transfer-Encoding: base64%s%s%s%s' % (
        CRLF, CRLF, CRLF, b64(data), CRLF))
