from simbaumi.formats.admin_inputs import with_admin_formats

DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS, TIME_INPUT_FORMATS = with_admin_formats("id")
