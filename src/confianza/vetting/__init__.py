"""Trust-control evaluations: requests, scheduling at centres, the five exams and their results,
the examiners' queue, the workflow policy."""
