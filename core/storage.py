from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, with the import paths inside our
    JavaScript modules rewritten to the hashed names too."""

    support_js_module_import_aggregation = True
