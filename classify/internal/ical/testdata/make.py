#!/usr/bin/python3
"""Writes the iCalendar and vCard fixtures of package ical with Debian's
python3-icalendar and python3-vobject, which fold long lines at 75 octets
and escape commas, semicolons and line breaks as RFC 5545 and RFC 6350 say.
cpr-* hold the CPR number 010190-1234, term-* a health word, clean-*
nothing sensitive. Tests need neither library."""
import datetime
import sys

import icalendar
import vobject

out = sys.argv[1] if len(sys.argv) > 1 else "."


def folded_across(make, target):
    """Calls make(filler) with growing filler until the producer's line
    folding splits target: the fixture then tests unfolding."""
    for n in range(120):
        data = make("." * n)
        if target.encode() not in data.replace(b"\\,", b",").replace(b"\\;", b";"):
            return data
    raise SystemExit(f"no fold splits {target}")


def event(path, summary, description, attendee="Hanne Jensen", split=None):
    if split:
        data = folded_across(lambda f: event_bytes(summary, f + description, attendee), split)
    else:
        data = event_bytes(summary, description, attendee)
    with open(f"{out}/{path}", "wb") as f:
        f.write(data)


def event_bytes(summary, description, attendee):
    cal = icalendar.Calendar()
    cal.add("prodid", "-//tlsgate fixtures//icalendar//DA")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    ev = icalendar.Event()
    ev.add("uid", "040000008200E00074C5B7101A82E0080000000010190123400000000000000001000000")
    ev.add("dtstamp", datetime.datetime(2024, 3, 1, 9, 0, 0, tzinfo=datetime.timezone.utc))
    ev.add("dtstart", datetime.datetime(2024, 3, 4, 10, 0, 0, tzinfo=datetime.timezone.utc))
    ev.add("dtend", datetime.datetime(2024, 3, 4, 11, 30, 0, tzinfo=datetime.timezone.utc))
    ev.add("summary", summary)
    ev.add("description", description)
    ev.add("location", "Mødelokale 4, 2. sal; bygning B")
    a = icalendar.vCalAddress("mailto:hanne@example.dk")
    a.params["cn"] = icalendar.vText(attendee)
    ev.add("attendee", a)
    ev.add("x-microsoft-cdo-ownerapptid", "2112091283")
    ev.add("sequence", 0)
    cal.add_component(ev)
    return cal.to_ical()


pad = "Dagsorden: budget, bemanding; ferieplan og kantineordning for resten af året. "
event("cpr-icalendar-folded.ics", "Opfølgning",
      pad + "Husk papirer for medarbejder 010190-1234, som skal med.", split="010190-1234")
event("term-icalendar-folded.ics", "Samtale",
      pad + "Samtalen handler om hendes sygemelding og plan for tilbagevenden.", split="sygemeld")
event("clean-icalendar-invite.ics", "Budgetmøde Q2",
      pad + "Tlf. 12 34 56 78, lokale 4711; faktura 2024-0311.\nVel mødt.")



def card_bytes(filler):
    card = vobject.vCard()
    card.add("fn").value = "Hanne Jensen"
    card.add("n").value = vobject.vcard.Name(family="Jensen", given="Hanne")
    card.add("tel").value = "+45 12 34 56 78"
    card.add("note").value = filler + pad + "CPR-nr. 010190-1234, ring efter kl. 10; hun er syg."
    return card.serialize().encode()


with open(f"{out}/cpr-vobject-note.vcf", "wb") as f:
    f.write(folded_across(card_bytes, "010190-1234"))
card = vobject.vCard()
card.add("fn").value = "Lars Nielsen"
card.add("n").value = vobject.vcard.Name(family="Nielsen", given="Lars")
card.add("org").value = ["Eksempel A/S", "Økonomi"]
card.add("tel").value = "+45 87 65 43 21"
card.add("note").value = pad + "Kontakt om fakturaer, konto 1234-5678901234."
with open(f"{out}/clean-vobject-contact.vcf", "w") as f:
    f.write(card.serialize())

# vCard 2.1 as Outlook exports a contact: NOTE in quoted-printable with soft
# line breaks, which split the number (no library here writes 2.1).
with open(f"{out}/cpr-outlook21-note.vcf", "wb") as f:
    f.write(b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;LANGUAGE=da;CHARSET=Windows-1252:Jensen;Hanne\r\n"
            b"FN;CHARSET=Windows-1252:Hanne Jensen\r\n"
            b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:M=F8de om l=F8n. Personnummer 0101=\r\n"
            b"90=2D1234, tlf. 12345678=0D=0A\r\n"
            b"TEL;WORK;VOICE:+45 12 34 56 78\r\nREV:20240301T090000Z\r\nEND:VCARD\r\n")
