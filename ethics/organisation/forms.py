"""The organisation page's forms: the agency, and one signatory."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ethics.organisation import services
from ethics.organisation.services import ImageChange, OrganisationData, SignatoryData
from ethics.web.form_fields import AppForm, optional_int


def signatory_choices(empty_label: str) -> list[SelectChoice]:
    """Every signatory as "name, position", after a choice of nobody (for the forms that pick one)."""
    return [SelectChoice("", empty_label), *(SelectChoice(str(s.id), f"{s.name}, {s.position}")
                                             for s in services.signatories())]


def _image(file_field: FileField, remove: BooleanField) -> ImageChange:
    upload = file_field.data
    return ImageChange(upload=upload.read() if upload else None, remove=bool(remove.data))


class OrganisationForm(AppForm):
    name_th = StringField(_l("Agency name (Thai)"), validators=[DataRequired(), Length(max=255)])
    name_en = StringField(_l("Agency name (English)"), validators=[Optional(), Length(max=255)])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=1000)])
    contact = StringField(_l("Contact line (telephone, e-mail)"), validators=[Optional(), Length(max=255)])
    logo_file = FileField(_l("Logo or emblem (PNG or JPEG, at most 2 MB)"), render_kw={"accept": "image/png,image/jpeg"})
    remove_logo = BooleanField(_l("Remove the logo"))
    honour_signatory_id = SelectField(_l("Signs the certificates of honour"), coerce=optional_int, validate_choice=False)
    report_certifier_id = SelectField(_l("Certifies the plan's report"), coerce=optional_int, validate_choice=False)
    public_page = BooleanField(_l("Publish the transparency page: anyone may see the plan's progress without signing in"))
    public_values = RadioField(_l("The public page shows"), default="live", choices=[
        SelectChoice("live", _l("Live values, as they stand now")),
        SelectChoice("snapshot", _l("The latest locked snapshot of each year (a year without one is not shown)"))])
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def to_data(self) -> OrganisationData:
        return OrganisationData(name_th=self.name_th.data.strip(), name_en=(self.name_en.data or "").strip(),
                                address=(self.address.data or "").strip(), contact=(self.contact.data or "").strip(),
                                honour_signatory_id=self.honour_signatory_id.data,
                                report_certifier_id=self.report_certifier_id.data,
                                public_page=bool(self.public_page.data), public_values=self.public_values.data)

    def logo_change(self) -> ImageChange:
        return _image(self.logo_file, self.remove_logo)


class SignatoryForm(AppForm):
    name = StringField(_l("Full name, as printed in brackets"), validators=[DataRequired(), Length(max=255)])
    position = StringField(_l("Position, as printed under the name"), validators=[DataRequired(), Length(max=255)])
    signature_file = FileField(_l("Signature image (optional; PNG or JPEG, at most 2 MB)"),
                          render_kw={"accept": "image/png,image/jpeg"})
    remove_signature = BooleanField(_l("Remove the signature image"))
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def to_data(self) -> SignatoryData:
        return SignatoryData(name=self.name.data.strip(), position=self.position.data.strip())

    def signature_change(self) -> ImageChange:
        return _image(self.signature_file, self.remove_signature)
