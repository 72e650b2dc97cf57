"""Messages whose payload lives in the mail itself: bodies as each client
writes them, the Subject, quoted replies and forwards, forwarded messages
(message/rfc822), calendar invitations, contact cards and zip archives."""

import io
import re
import zipfile

import content as C
import libs
import mail as M
from make import CLIENTS, FILLER, LAST, payload, pick, const, wrap

QUOTE_HDR = ("Peter Lund Kragh <plk@partner.example>", "8. marts 2024 14:12", "Holm, Mette Kjærgaard", "Sagen")


def body_msg(client, paras, subject="Opfølgning", quoted=None, charset=None, atts=()):
    def build(name):
        return M.message(name, client, "[unsecure] " + subject, paras, atts, quoted=quoted, charset=charset)
    return build


def greet(text, client="outlook"):
    sender = {"outlook": "Mette", "thunderbird": "Jens", "web": "Borgerservice"}[client]
    return ["Hej Peter,", "", "Tak for snakken i går. " + text, "", "Venlig hilsen", sender]


def zipped(files):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for fn, data in files:
            zi = zipfile.ZipInfo(fn, date_time=(2024, 3, 11, 9, 30, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    return b.getvalue()


def fold_inside(prefix, lead, text, cut_word):
    """lead + padding + text, padded with spaces so that an RFC 5545 fold
    (after octet 75, then every 74) falls inside cut_word."""
    for n in range(80):
        body = lead + " " * n + text
        b = (prefix + M.ical_text(body)).encode()
        at, ln = b.find(M.ical_text(cut_word).encode()), len(M.ical_text(cut_word).encode())
        if at >= 0 and any(at < x < at + ln - 1 for x in range(75, len(b), 74)):
            return body
    return lead + text


def cut_target(text):
    """The word the fold should split: the CPR number, else the sensitive
    word of the sentence."""
    m = re.search(r"\d{6}[- ]?\d{4}", text)
    if m:
        return m.group(0)
    for w in C.TERM_WORDS:
        if w in text:
            return w
    raise ValueError("no sensitive word in " + text)


def add(corp, k):
    # Bodies as each client writes them; Outlook in UTF-8 and Windows-1252.
    for client, n, cs in (("outlook", 4, "utf-8"), ("outlook", 3, "windows-1252"), ("thunderbird", 5, None), ("web", 5, None)):
        for _ in range(n):
            k += 1
            reason, text = payload(k, pick(k))
            tech = {"outlook": "outlook-html", "thunderbird": "thunderbird-flowed", "web": "web-html"}[client]
            if cs == "windows-1252":
                tech = "outlook-cp1252"
            corp.add(tech, client, reason, body_msg(client, greet(text, client), charset=cs))
    # Subject.
    for i, client in enumerate(["outlook", "thunderbird", "web"]):
        k += 1
        if i == 0:
            num = C.cpr(3000 + k, mod11_pass=True)
            reason, subj = "cpr", "Vedr. %s" % C.fmt(num, "dash")
        else:
            cat = ["health", "employment"][i - 1]
            reason, subj = "term:" + cat, {"health": "Sygemelding Mette Holm", "employment": "Afskedigelse af Jens Villadsen"}[cat]
        LAST[0] = subj
        corp.add("subject", client, reason, body_msg(client, greet("Se emnet.", client), subject=subj))
    # Replies with the payload in the quoted message only.
    for client in ["outlook", "thunderbird", "web", "outlook", "thunderbird"]:
        k += 1
        reason, text = payload(k, pick(k))
        corp.add("%s-reply-quoted" % client, client, reason,
                 body_msg(client, greet("Det ser fint ud.", client), subject=("SV: Sagen" if client == "outlook" else "Re: Sagen"),
                          quoted=(QUOTE_HDR, ["Hej Mette,", text, "Mvh Peter"])))
    # Outlook forwards inline: the forwarded message under a header block.
    for _ in range(2):
        k += 1
        reason, text = payload(k, pick(k))
        corp.add("outlook-forward-inline", "outlook", reason,
                 body_msg("outlook", ["Hej Peter,", "", "Til orientering, se nedenfor.", "", "Mette"], subject="VS: Sagen",
                          quoted=(QUOTE_HDR, ["Hej Mette,", text, "Mvh Peter"])))
    # Forward as attachment (message/rfc822), payload in the inner body or its attachment.
    for i in range(4):
        k += 1
        reason, text = payload(k, pick(k))
        inner_client = ["outlook", "thunderbird"][i % 2]
        if i < 2:
            inner = M.message("inner%d" % k, inner_client, "Sagen", greet(text))
        else:
            inner = M.message("inner%d" % k, inner_client, "Notat", greet("Se bilag."),
                              [("notat.docx", libs.docx_python("table", text, FILLER, "Notat"))])
        corp.add("rfc822-forward" + ("-attachment" if i >= 2 else ""), "thunderbird", reason,
                 fwd_build(inner))
    # Calendar invitations (Outlook: text/calendar in multipart/alternative;
    # Thunderbird: an .ics attachment), folded inside the number or word.
    for i in range(5):
        k += 1
        reason, text = payload(k, pick(k))
        desc = fold_inside("DESCRIPTION;LANGUAGE=da-DK:", "Dagsorden for mødet:\n", text, cut_target(text))
        data = M.ics("ics%d" % k, "Opfølgningsmøde", desc)
        if i % 2 == 0:
            corp.add("ics-folded", "outlook", reason, invite_build(data))
        else:
            corp.add("ics-folded-attachment", "thunderbird", reason,
                     lambda name, d=data: wrap(None, name, "thunderbird", "Mødeindkaldelse", [("invite.ics", d)]))
    # Contact cards.
    for i in range(3):
        k += 1
        reason, text = payload(k, pick(k))
        data = M.vcf(C.NAMES[k % len(C.NAMES)], fold_inside("NOTE:", "", text, cut_target(text)))
        corp.add("vcf-note", CLIENTS[i % 3], reason,
                 lambda name, d=data, c=CLIENTS[i % 3]: wrap(None, name, c, "Kontakt", [("kontakt.vcf", d)]))
    # Zip archives of documents.
    for i, inner in enumerate(["docx", "pdf", "xlsx", "txt"]):
        k += 1
        reason, text = payload(k, pick(k))
        if inner == "docx":
            f = libs.docx_python("footer", text, FILLER, "Notat")
        elif inner == "pdf":
            f = libs.pdf_reportlab("body", text, FILLER, "Notat")
        elif inner == "xlsx":
            num = C.cpr(4000 + k, mod11_pass=False, lowday=True)
            reason, f = "cpr", libs.xlsx_openpyxl("numfmt-lowday", "", num, [["Navn", "CPR"]])
            LAST[0] = "%d shown as %s" % (int(num), C.fmt(num, "dash"))
        else:
            f = ("Notat\r\n\r\n" + text + "\r\n").encode("utf-8")
        data = zipped([("bilag/oversigt.txt", "Bilag til sagen\r\n".encode()), ("bilag/notat." + inner, f)])
        corp.add("zip-" + inner, CLIENTS[i % 3], reason,
                 lambda name, d=data, c=CLIENTS[i % 3]: wrap(None, name, c, "Bilag", [("bilag.zip", d)]))
    return add_harmless(corp, k)


def fwd_build(inner):
    def build(name):
        return M.message(name, "thunderbird", "[unsecure] Fwd: Sagen", ["Til orientering.", "", "Jens"], [("Sagen.eml", inner)])
    return build


def invite_build(data):
    def build(name):
        return M.message(name, "outlook", "[unsecure] Opfølgningsmøde", ["Hej Peter,", "Vi ses mandag.", "Mette"],
                         extra_parts=[M.calendar_part(data)])
    return build


def add_harmless(corp, k):
    kinds = C.HKINDS
    for i, client in enumerate(["outlook", "outlook", "thunderbird", "thunderbird", "web", "web", "outlook", "thunderbird",
                                "web", "outlook", "thunderbird"]):
        k += 1
        kind = kinds[i % len(kinds)]
        corp.add("%s-harmless" % client, client, "none",
                 body_msg(client, ["Hej Peter,", ""] + C.harmless(kind) + ["", "Venlig hilsen", "Mette"], subject=kind,
                          charset="windows-1252" if i == 6 else None))
    for client in ["outlook", "thunderbird"]:
        k += 1
        corp.add("%s-reply-harmless" % client, client, "none",
                 body_msg(client, greet("Det passer fint.", client), subject=("SV: Møde" if client == "outlook" else "Re: Møde"),
                          quoted=(QUOTE_HDR, C.harmless("minutes"))))
    for i in range(2):
        k += 1
        data = M.ics("hics%d" % k, "Afdelingsmøde", "\n".join(C.harmless(["minutes", "itchange"][i])))
        corp.add("ics-harmless", "outlook", "none", invite_build(data))
    k += 1
    data = M.vcf("Tømrer Hansen", "Kontakt om levering. Tlf. 7020 3040, CVR 12345678.", org="Tømrer Hansen ApS")
    corp.add("vcf-harmless", "thunderbird", "none", lambda name, d=data: wrap(None, name, "thunderbird", "Kontakt", [("kontakt.vcf", d)]))
    for i in range(2):
        k += 1
        l = C.harmless(["invoice", "pricelist"][i])
        data = zipped([("faktura/faktura.pdf", libs.pdf_reportlab("none", "", l[1:], l[0][:60])),
                       ("faktura/noter.txt", "\r\n".join(l).encode("utf-8"))])
        corp.add("zip-harmless", CLIENTS[i], "none",
                 lambda name, d=data, c=CLIENTS[i]: wrap(None, name, c, "Faktura", [("faktura.zip", d)]))
    k += 1
    corp.add("outlook-forward-harmless", "outlook", "none",
             body_msg("outlook", ["Til orientering.", "Mette"], subject="VS: Køreplan", quoted=(QUOTE_HDR, C.harmless("timetable"))))
    k += 1
    inner = M.message("hinner", "outlook", "Nyhedsbrev", C.harmless("newsletter"))
    corp.add("rfc822-harmless", "thunderbird", "none", fwd_build(inner))
    return k
