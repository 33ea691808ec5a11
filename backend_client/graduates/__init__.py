"""Graduates' route to work: the risk questionnaire («Анкета выпускника») and its transparent scoring
(``survey``), the employment centres of the region and their bookable slots (``centres``)."""
