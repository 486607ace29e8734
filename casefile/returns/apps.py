from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    """Statutory returns and inspection data, projected from the record: the CIN census, its validator, Ofsted
    Annex A and the Standard Safeguarding Dataset export. The rules themselves are in casefile/rules/cin/."""

    name = "casefile.returns"
    label = "returns"
