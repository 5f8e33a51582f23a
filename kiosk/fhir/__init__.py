"""FHIR R4 in and out: the content as a Questionnaire, answers as a QuestionnaireResponse, scores as Observations.

Everything here walks the content model generically (pages, questions,
instruments), so it follows the content as clinics edit it. Nothing here
scores: imported answers go through `kiosk.patient.pipeline` like the wizard's.
Modules: `questionnaire` (content -> Questionnaire), `response` (QuestionnaireResponse
<-> answers), `bundle` (submissions -> Bundle with Observations and Patient), `codes`.
"""
