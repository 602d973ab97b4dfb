from decimal import Decimal

from django import template

from fazhi_web.evaluation.models import points_text

register = template.Library()


@register.filter
def points(value: Decimal | int | None) -> str:
    """3, 1.5, 9.25: points as a reader writes them."""
    return "" if value is None else points_text(Decimal(value))
