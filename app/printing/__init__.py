"""Printing without Qt: the citizen's receipt, form print-outs for wet signatures, and working-day arithmetic."""

from app.printing.errors import PrintDataError, PrintingError
from app.printing.forms import render_form
from app.printing.receipt import (
    Outpost,
    ReceiptData,
    ReceivedDocument,
    outpost_from_settings,
    receipt_data_for,
    render_receipt,
)
from app.printing.templates import FormLayout, PrintTemplate, Signature, available_templates, get_template
from app.printing.workdays import Holiday, HolidayCalendar, add_working_days, default_holidays, load_holidays

__all__ = [
    "FormLayout",
    "Holiday",
    "HolidayCalendar",
    "Outpost",
    "PrintDataError",
    "PrintTemplate",
    "PrintingError",
    "ReceiptData",
    "ReceivedDocument",
    "Signature",
    "add_working_days",
    "available_templates",
    "default_holidays",
    "get_template",
    "load_holidays",
    "outpost_from_settings",
    "receipt_data_for",
    "render_form",
    "render_receipt",
]
