"""The demo's agency: Rayong's provincial office from the seed plan, its signatories and a drawn
emblem and signatures, so that every document shows its header and signature blocks."""
from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw

from ethics.organisation.services import ImageChange, OrganisationData, SignatoryData, save_organisation, save_signatory
from ethics.people.models import Unit

SIGNATORIES = [  # (key, name, position, units it heads)
    ("governor", "นายสมชาย ใจดี", "ผู้ว่าราชการจังหวัดระยอง", ("RYG",)),
    ("office", "นางสาวมาลี ศรีสุข", "หัวหน้าสำนักงานจังหวัดระยอง", ()),
    ("hr", "นางพรทิพย์ บุญมา", "ผู้อำนวยการกลุ่มบริหารทรัพยากรบุคคล", ("RYG-HR",)),
    ("development", "นายอนันต์ ทองคำ", "ผู้อำนวยการศูนย์พัฒนาข้าราชการจังหวัดระยอง", ("RYG-DEV",)),
]


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def emblem() -> bytes:
    """A round navy-and-gold seal: a stand-in for the agency's emblem."""
    image = Image.new("RGBA", (240, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill=(28, 63, 138), outline=(200, 160, 40), width=12)
    draw.ellipse((60, 60, 180, 180), outline=(200, 160, 40), width=6)
    for step in range(12):
        angle = step * math.pi / 6
        draw.line((120 + 62 * math.cos(angle), 120 + 62 * math.sin(angle),
                   120 + 96 * math.cos(angle), 120 + 96 * math.sin(angle)), fill=(200, 160, 40), width=5)
    return _png(image)


def signature(rng: random.Random) -> bytes:
    """A pen stroke that reads as a handwritten signature on paper."""
    image = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    points = [(20 + x * 16, 60 + rng.randint(-30, 30)) for x in range(21)]
    ImageDraw.Draw(image).line(points, fill=(20, 40, 120), width=4, joint="curve")
    return _png(image)


def seed(rng: random.Random, units: dict[str, Unit]) -> None:
    made = {}
    for key, name, position, heads in SIGNATORIES:
        made[key] = save_signatory(None, SignatoryData(name, position), ImageChange(upload=signature(rng)))
        for code in heads:
            units[code].signatory = made[key]
    save_organisation(OrganisationData(
        name_th="สำนักงานจังหวัดระยอง", name_en="Rayong Provincial Office",
        address="ศาลากลางจังหวัดระยอง ถนนสุขุมวิท ตำบลเนินพระ อำเภอเมืองระยอง จังหวัดระยอง 21000",
        contact="โทรศัพท์ 0 3800 0000 · saraban@rayong.example.go.th",
        honour_signatory_id=made["governor"].id, report_certifier_id=made["office"].id),
        ImageChange(upload=emblem()), None)
