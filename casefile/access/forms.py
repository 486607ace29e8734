from django import forms


class RestrictedReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="This is recorded with your name and the time, and managers can see it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why you need to open this restricted record"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError("Enter a reason of at least 10 characters, saying why you need the record")
        return reason
