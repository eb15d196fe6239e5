from django import forms


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Your work email address",
        max_length=254,
        help_text="The address your council gave you. We will email you a link that signs you in.",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the right format, like name@council.gov.uk",
        },
    )


class DomainRequestForm(forms.Form):
    email = forms.EmailField(label="Your work email address", max_length=254)
    council_name = forms.CharField(label="Your council", max_length=200)
    message = forms.CharField(
        label="Anything the curators should know (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea,
    )
