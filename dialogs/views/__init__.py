"""How records read as text: event cards and dates, career results. Shared by the flows that show them and
by the reminder rules that write them into messages, so a thing is worded the same wherever it appears."""
