"""The words of every email, in Bahasa Indonesia (the default) and English."""
from __future__ import annotations

LANGUAGES = ("id", "en")

TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "greeting": "Yth. Tim Satgas Pengawas Koperasi",
        "greeting_cooperative": "Yth. Pengurus",
        "footer": "Pesan ini dikirim otomatis oleh sistem Satgas Pengawas Koperasi.",
        "open_case": "Buka kasus",
        "case": "Kasus", "cooperative": "Koperasi", "nik": "NIK", "rule": "Jenis", "priority": "Prioritas",
        "regency": "Kabupaten/Kota", "opened": "Dibuka", "fiscal_year": "Tahun buku", "due": "Jatuh tempo",
        "step": "Tindak lanjut", "and_more": "dan {n} kasus lainnya",
        "alert_subject": "{n} kasus baru untuk {team}",
        "alert_intro": "Ada {n} kasus pemeriksaan baru untuk tim Anda, diurutkan menurut prioritas.",
        "critical_subject": "SEGERA: kasus kritis {case_id} ({name})",
        "critical_intro": "Kasus berikut berprioritas kritis dan perlu ditangani segera.",
        "reminder_subject": "Pengingat: {n} tindak lanjut jatuh tempo {day}",
        "reminder_intro": "Tindak lanjut berikut jatuh tempo pada hari kerja berikutnya.",
        "overdue_subject": "Terlambat: {n} tindak lanjut melewati jatuh tempo",
        "overdue_intro": "Tindak lanjut berikut belum dicatat selesai pada tanggal jatuh temponya.",
        "weekly_subject": "Laporan eskalasi mingguan {province}, minggu {week}",
        "weekly_intro": "Ringkasan minggu {start} s.d. {end} untuk {province}.",
        "new_cases": "Kasus baru", "overdue_followups": "Tindak lanjut terlambat",
        "cases_past_sla": "Kasus melewati SLA", "escalations": "Eskalasi",
        "vs_last_week": "minggu lalu", "compliance": "Kepatuhan RAT", "rank": "Peringkat",
        "rate": "Tingkat", "change": "Perubahan", "reported": "Melapor", "cooperatives": "Koperasi",
        "compliance_title": "Kepatuhan RAT tahun buku {year} per kabupaten/kota",
        "coop_reminder_subject": "Pengingat: laporan RAT tahun buku {year} jatuh tempo {day}",
        "coop_reminder_body": "Laporan hasil RAT tahun buku {year} koperasi Anda wajib disampaikan paling lambat "
                              "{day} ({days} hari lagi). Mohon segera selenggarakan RAT dan laporkan hasilnya.",
        "receipt_subject": "Tanda terima laporan RAT {filing_id}",
        "receipt_body": "Laporan RAT tahun buku {year} koperasi Anda telah kami terima dengan nomor tanda terima "
                        "{filing_id}.",
        "receipt_late": "Catatan: laporan ini melewati batas waktu.",
        "rat_date": "Tanggal RAT", "members": "Anggota", "assets": "Aset", "liabilities": "Kewajiban",
        "equity": "Ekuitas", "business_volume": "Volume usaha", "shu": "SHU",
        # Codes shown to people
        "rat_missed": "Tidak RAT", "rat_missed_repeat": "Tidak RAT berulang", "rat_late": "RAT terlambat",
        "filing_anomaly": "Kejanggalan laporan",
        "critical": "kritis", "high": "tinggi", "normal": "sedang", "low": "rendah",
        "teguran_1": "Teguran tertulis I", "kunjungan_lapangan": "Kunjungan lapangan",
        "teguran_2": "Teguran tertulis II", "teguran_3": "Teguran tertulis III",
        "surat_rencana_pembubaran": "Surat rencana pembubaran",
    },
    "en": {
        "greeting": "Dear Satgas supervision team",
        "greeting_cooperative": "Dear board",
        "footer": "This message was sent automatically by the Satgas cooperative supervision system.",
        "open_case": "Open the case",
        "case": "Case", "cooperative": "Cooperative", "nik": "NIK", "rule": "Rule", "priority": "Priority",
        "regency": "Regency/city", "opened": "Opened", "fiscal_year": "Fiscal year", "due": "Due",
        "step": "Follow-up", "and_more": "and {n} more cases",
        "alert_subject": "{n} new cases for {team}",
        "alert_intro": "There are {n} new inspection cases for your team, most urgent first.",
        "critical_subject": "URGENT: critical case {case_id} ({name})",
        "critical_intro": "The following case is critical and needs attention at once.",
        "reminder_subject": "Reminder: {n} follow-ups due {day}",
        "reminder_intro": "These follow-ups are due on the next working day.",
        "overdue_subject": "Overdue: {n} follow-ups past their due date",
        "overdue_intro": "These follow-ups were not recorded as done by their due date.",
        "weekly_subject": "Weekly escalation report {province}, week {week}",
        "weekly_intro": "Summary of {start} to {end} for {province}.",
        "new_cases": "New cases", "overdue_followups": "Overdue follow-ups",
        "cases_past_sla": "Cases past SLA", "escalations": "Escalations",
        "vs_last_week": "last week", "compliance": "RAT compliance", "rank": "Rank",
        "rate": "Rate", "change": "Change", "reported": "Reported", "cooperatives": "Cooperatives",
        "compliance_title": "RAT compliance for fiscal year {year} by regency/city",
        "coop_reminder_subject": "Reminder: RAT report for fiscal year {year} due {day}",
        "coop_reminder_body": "Your cooperative's RAT report for fiscal year {year} is due by {day} ({days} days "
                              "from now). Please hold the RAT and report its result in time.",
        "receipt_subject": "Receipt for RAT report {filing_id}",
        "receipt_body": "We received your cooperative's RAT report for fiscal year {year}; receipt number "
                        "{filing_id}.",
        "receipt_late": "Note: this report came after its deadline.",
        "rat_date": "RAT date", "members": "Members", "assets": "Assets", "liabilities": "Liabilities",
        "equity": "Equity", "business_volume": "Business volume", "shu": "SHU (surplus)",
        "rat_missed": "RAT not held", "rat_missed_repeat": "RAT not held, repeatedly", "rat_late": "RAT late",
        "filing_anomaly": "Report anomaly",
        "critical": "critical", "high": "high", "normal": "normal", "low": "low",
        "teguran_1": "Written warning I", "kunjungan_lapangan": "Field visit",
        "teguran_2": "Written warning II", "teguran_3": "Written warning III",
        "surat_rencana_pembubaran": "Notice of planned dissolution",
    },
}


def translator(language: str):
    texts = TEXTS.get(language, TEXTS["id"])

    def t(key: str, **values) -> str:
        text = texts.get(key, TEXTS["id"].get(key, key))
        return text.format(**values) if values else text

    return t
