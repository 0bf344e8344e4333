"""Authenticator apps' keys and recovery codes' seeds written before cramps.accounts.MFAAdapter
began encrypting them are encrypted in place (reading still accepts an unencrypted value)."""

from django.db import migrations

FIELDS = {"totp": ("secret",), "recovery_codes": ("seed",)}


def encrypt_stored(apps, schema_editor):
    from cramps.tokens import SECRET_PREFIX, encrypt_secret

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=FIELDS).iterator():
        data = dict(authenticator.data or {})
        changed = False
        for name in FIELDS[authenticator.type]:
            value = data.get(name)
            if isinstance(value, str) and not value.startswith(SECRET_PREFIX):
                data[name] = encrypt_secret(value)
                changed = True
        codes = data.get("migrated_codes")
        if isinstance(codes, list) and any(isinstance(c, str) and not c.startswith(SECRET_PREFIX) for c in codes):
            data["migrated_codes"] = [c if c.startswith(SECRET_PREFIX) else encrypt_secret(c) for c in codes]
            changed = True
        if changed:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0004_profile_diary_version"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_stored, migrations.RunPython.noop)]
