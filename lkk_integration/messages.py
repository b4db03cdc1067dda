"""Every user-facing text of the product, in Russian, in one place (README, Conventions 3).

Texts quoted in docs/spec.md are verbatim here; tests hold the literals, so a change shows.
tests/unit/test_texts_live_in_messages.py fails on a Cyrillic string literal anywhere else in
lkk_integration/ or lkk_web/ (templates aside).

One section per package, in the order the packages depend on each other: shared, sign-in,
organizations, readings, spreadsheets, SOAP, the web cabinet, administration. A text sits in
the section of the package that says it; texts only the cabinet's pages say are in the web
cabinet's or the administration's section. A text without parameters is a constant; a text with
parameters is a function of them.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from lkk_integration.clock import MOSCOW
from lkk_integration.quantities import plain_decimal

# === shared =======================================================================================


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian noun form agreeing with `n`: plural(21, 'строка', 'строки', 'строк') -> 'строка'.

    Rule: 1, 21, 31… take `one`; 2–4, 22–24… take `few`; 0, 5–20, 25–30… take `many`
    (11–14 always `many`).
    """
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count_of(n: int, one: str, few: str, many: str) -> str:
    """'5 дней', '1 день', '22 строки'."""
    return f"{n} {plural(n, one, few, many)}"


def days(n: int) -> str:
    return count_of(n, "день", "дня", "дней")


def rows(n: int) -> str:
    return count_of(n, "строка", "строки", "строк")


ZONE_LABELS = ("Т1", "Т2", "Т3")
ZONE_TYPES = {1: "Однотарифный", 2: "Двухтарифный", 3: "Трехтарифный"}


def kwh_text(value: Decimal) -> str:
    """A reading as people write it: '12345,6' (decimal comma, no exponent)."""
    return format(plain_decimal(value), "f").replace(".", ",")


def house_address(settlement: str, street: str, house_number: str) -> str:
    """A house's address as every page, file and export shows it: «Москва г., Вавилова ул.,
    д. 45» (the billing's settlement, street and number, as sent)."""
    return f"{settlement}, {street}, д. {house_number}"


# The source of a reading an organization passed (by hand or by file), as the billing sees it.
SOURCE_ORGANIZATION = "Обслуживающая организация"
PAGE_NOT_FOUND = "Страница не найдена"
# The account a failed login named, in the audit trail, when it was not an e-mail address.
NOT_AN_EMAIL = "(не адрес e-mail)"


def required_field(field: str) -> str:
    return f"Не заполнено обязательное поле {field}"


def forbidden_characters(field: str, codes: str) -> str:
    """lkk_integration/text.py: one set for every channel; `field` is «Поле ShortName» or a
    label, `codes` the characters' code points."""
    return (f"{field}: управляющие символы не допускаются, в том числе невидимые и "
            f"меняющие направление текста ({codes})")


def forbidden_in_field(name: str, codes: str) -> str:
    """forbidden_characters for a SOAP field named by its path: «Поле Requisites.Inn: …»."""
    return forbidden_characters(f"Поле {name}", codes)


def email_taken(email: str) -> str:
    return f"Адрес электронной почты {email} уже используется другой учетной записью"


# === sign-in (signin/) ============================================================================
LOGIN_FAILED = "Неверный логин или пароль"
LOGIN_REQUIRED_FIELDS = "Не заполнены обязательные поля!"
ACCOUNT_INACTIVE = "Учетная запись отключена. Обратитесь в контакт-центр."
PASSWORD_POLICY = ("Пароль не соответствует установленным ограничениям! Пароль должен содержать "
                   "от 8 до 20 цифр (0-9) и/или букв латинского алфавита (A-Z)!")
PASSWORDS_DIFFER = "Введённые пароли не совпадают!"
PASSWORD_POLICY_ASVS = ("Пароль не соответствует установленным ограничениям! Пароль должен "
                        "содержать от 12 до 128 символов!")
PASSWORD_TOO_COMMON = "Этот пароль слишком распространён, выберите другой"
TOKEN_INVALID = ("Ссылка недействительна: она уже использована, устарела или заменена более "
                 "новой. Запросите новую ссылку через «Забыли пароль?» или в контакт-центре.")
EMAIL_INVALID = "Неверный адрес электронной почты"
CURRENT_PASSWORD_WRONG = "Текущий пароль указан неверно"
EMAIL_SAME = "Новый адрес совпадает с текущим"


def too_many_attempts(minutes: int) -> str:
    """docs/spec.md §16.2, verbatim."""
    return f"Слишком много попыток входа. Повторите через {minutes} мин."


# --- sign-in mail ---------------------------------------------------------------------------------
RECOVERY_SUBJECT = "Восстановление пароля в Личном кабинете"


def recovery_body(name: str, organization: str, hours: int, link: str) -> str:
    return f"""Здравствуйте, {name}!

Для входа в Личный кабинет организации «{organization}» задайте новый пароль по ссылке
(она действует {hours} часов и один раз):
{link}

Если вы не запрашивали восстановление пароля, просто удалите это письмо.
"""


EMAIL_CONFIRM_SUBJECT = "Подтвердите новый адрес входа в Личный кабинет"


def email_confirm_body(name: str, organization: str, new: str, hours: int, link: str) -> str:
    return f"""Здравствуйте, {name}!

Чтобы входить в Личный кабинет организации «{organization}» с адресом {new}, откройте ссылку
в течение {hours} часов:
{link}
"""


EMAIL_CHANGED_SUBJECT = "Изменен адрес входа в Личный кабинет"


def email_change_requested_body(name: str, organization: str, new: str) -> str:
    return f"""Здравствуйте, {name}!

Запрошена смена адреса входа в Личный кабинет организации «{organization}» на {new}.
Адрес изменится, когда владелец нового адреса подтвердит его по ссылке из письма.
Если вы этого не делали, смените пароль и обратитесь в контакт-центр.
"""


def email_changed_old_body(name: str, organization: str, old: str, new: str) -> str:
    return f"""Здравствуйте, {name}!

Адрес входа в Личный кабинет организации «{organization}» изменен с {old} на {new}.
Если вы об этом не знаете, обратитесь в контакт-центр.
"""


def email_changed_new_body(name: str, organization: str, new: str) -> str:
    return f"""Здравствуйте, {name}!

Теперь вы входите в Личный кабинет организации «{organization}» с адресом {new}.
Пароль остался прежним.
"""


# === organizations (organizations/) ===============================================================
ACTIVATION_SUBJECT = "Доступ в Личный кабинет обслуживающей организации"


def activation_body(name: str, organization: str, email: str, hours: int, link: str) -> str:
    return f"""Здравствуйте, {name}!

Для организации «{organization}» создан Личный кабинет обслуживающей организации.
Ваш логин: {email}

Чтобы задать пароль и войти, откройте ссылку в течение {hours} часов:
{link}

Если ссылка устарела, обратитесь в контакт-центр: вам отправят новую.
"""


# --- payloads: requisites, contact person, houses -------------------------------------------------
def bad_email(field: str) -> str:
    return f"Поле {field}: неверный адрес электронной почты"


def bad_phone(field: str) -> str:
    return f"Поле {field}: неверный номер телефона"


def digits_expected(field: str, lengths: tuple[int, ...]) -> str:
    """«Поле Inn: ожидается 10 или 12 цифр»."""
    return f"Поле {field}: ожидается {' или '.join(map(str, lengths))} цифр"


def inn_check_digits(field: str) -> str:
    return f"Поле {field}: неверное контрольное число ИНН"


def bad_zones(field: str) -> str:
    return f"Поле {field}: число тарифных зон должно быть 1, 2 или 3"


def bad_capacity(field: str) -> str:
    return f"Поле {field}: разрядность должна быть от 1 до 12"


def bad_ratio(field: str) -> str:
    return (f"Поле {field}: коэффициент трансформации — число больше нуля и не больше "
            f"1 000 000, не больше 4 знаков после точки")


def meter_number_taken(field: str, number: str) -> str:
    """Two meters of one personal account with the same number."""
    return f"Поле {field}: у лицевого счета уже есть счетчик № {number}"


# --- registry and houses --------------------------------------------------------------------------
def contract_taken(number: str) -> str:
    return f"Номер договора {number} уже присвоен другой организации"


def id_taken(field: str, value: str) -> str:
    return f"Идентификатор {field}={value} уже используется"


def organization_not_found(billing_id: str) -> str:
    return f"Организация {billing_id} не найдена"


def house_not_found(billing_id: str) -> str:
    return f"Дом {billing_id} не найден"


def house_of_other(billing_id: str) -> str:
    return f"Дом {billing_id} обслуживает другая организация"


def account_of_other(number: str) -> str:
    return f"Лицевой счет {number} относится к другому дому"


def meter_not_found(billing_id: str) -> str:
    return f"Счетчик {billing_id} не найден"


def meter_archived(billing_id: str) -> str:
    return f"Счетчик {billing_id} уже заменен или снят"


def meter_elsewhere(billing_id: str) -> str:
    return f"Счетчик {billing_id} относится к другому дому или лицевому счету"


def meter_kind_changed(billing_id: str) -> str:
    return f"Счетчик {billing_id}: нельзя сделать индивидуальный счетчик общедомовым и наоборот"


# --- the billing's calls: accounted readings and verdicts -----------------------------------------
def too_many_items(field: str, limit: int) -> str:
    return f"Поле {field}: не более {limit} элементов за вызов"


def reading_not_found(reading_id: int) -> str:
    return f"Показание {reading_id} не найдено среди переданных обслуживающими организациями"


def reading_repeated(field: str, reading_id: int) -> str:
    """A verdict on the same reading twice in one call."""
    return f"Поле {field}: показание {reading_id} уже есть в этом вызове"


def reason_required(field: str) -> str:
    return f"Поле {field}: для отклоненного показания нужна причина"


# --- idempotency and SOAP clients -----------------------------------------------------------------
def request_id_reused(request_id: str) -> str:
    return f"Запрос с RequestId={request_id} уже выполнен с другим содержимым"


AUTH_REQUIRED = "Требуется аутентификация HTTP Basic"
CLIENT_NAME_INVALID = "Имя клиента не может быть пустым или содержать «:»"
CLIENT_QUOTA_TOO_LOW = "Квота: не меньше 1 вызова в минуту"


def client_exists(name: str) -> str:
    return f"Клиент {name} уже существует"


def client_not_found(name: str) -> str:
    return f"Действующий клиент {name} не найден"


def quota_exceeded(limit: int) -> str:
    return f"Превышена квота: не более {limit} вызовов в минуту. Повторите позже"


# === readings (readings/) =========================================================================
# --- readings checks (docs/spec.md §13) -----------------------------------------------------------
NO_READINGS = "Показания не указаны"
METER_UNKNOWN = "Счетчик не найден"
DATE_MISSING = "Не указана дата показания"
DATE_UNREADABLE = "Дата показания не распознана"
DATE_IN_FUTURE = "Дата показания в будущем"
DATE_BEFORE_LAST = "Дата показания раньше даты последних учтенных показаний"
DATE_OUTSIDE_PERIOD = "Дата показания вне периода передачи показаний"


def rows_without_date(n: int) -> str:
    """docs/spec.md §10: the buffer's hint when rows were refused for their date alone."""
    return (f"{grouped(n)} {plural(n, 'строка ошибочна', 'строки ошибочны', 'строк ошибочны')} "
            f"только из-за даты показания: укажите дату в поле «Дата показаний для строк без "
            f"даты» и загрузите файл снова.")


def date_outside_period(first, last) -> str:
    """docs/spec.md §13.6: the manual's text, then the dates it must be within."""
    return f"{DATE_OUTSIDE_PERIOD} ({first:%d.%m.%Y}–{last:%d.%m.%Y})"


def times_text(times: Decimal) -> str:
    """«4,2 раза», «5 раз», «3 раза»: how many times, to a tenth (docs/spec.md §13.10)."""
    tenths = times.quantize(Decimal("0.1"), ROUND_HALF_UP)
    if tenths == tenths.to_integral_value():
        whole = int(tenths)
        return f"{whole} {plural(whole, 'раз', 'раза', 'раз')}"
    return f"{kwh_text(tenths)} раза"  # a fraction takes the genitive singular: «4,2 раза»


def implausible_use(zone: str | None, times: Decimal, above: bool, daily: Decimal) -> str:
    """docs/spec.md §13.10: a valid reading far from the meter's typical consumption (`daily`
    kWh per day); `zone` named for a meter of several zones."""
    of = f" {zone}" if zone else ""
    if times.is_infinite():
        if above:
            return f"Проверьте: расход{of} выше обычного для этого счетчика: обычно расхода нет"
        return (f"Проверьте: расхода{' по ' + zone if zone else ''} нет, обычно – "
                f"{kwh_text(daily.quantize(Decimal('0.1'), ROUND_HALF_UP))} кВт·ч в сутки")
    return (f"Проверьте: расход{of} в {times_text(times)} {'выше' if above else 'ниже'} "
            f"обычного для этого счетчика")


IMPLAUSIBLE_CONFIRM = "Да, показание верное"
EXPECTED_HINT = ("«Ожидается» – показания при обычном для этого счетчика расходе; если "
                 "введенные показания выйдут за эти пределы, их попросят проверить.")


# --- «Не снято» (docs/spec.md §13.11) ----------------------------------------------------------
NOT_READ_WITH_VALUES = ("Укажите либо показания, либо причину, по которой они не сняты, – "
                        "не то и другое")
NOT_READ_LABEL = "Не снято, причина"
# The list a new installation starts with: (code, name).
DEFAULT_NOT_READ_REASONS = (("NO_ACCESS", "Нет доступа"), ("FAULTY", "ПУ неисправен"),
                            ("REMOVED", "ПУ демонтирован"))
NOT_READ_NONE = "— показания сняты —"
NOT_READ_HINT = ("Если показания снять не удалось, выберите причину вместо показаний: прибор "
                 "учета будет считаться обработанным в этом периоде.")


def not_read_unknown(given: str, names: list[str], shown: int = 10) -> str:
    """A reason that is not on the list, and the list (its first `shown` names, then how many
    more: a row's note stays short however long the list)."""
    listed = ", ".join(f"«{name}»" for name in names[:shown]) or "список пуст"
    if len(names) > shown:
        listed += f" и еще {grouped(len(names) - shown)}"
    return f"Причина «{given}» не из списка причин непередачи показаний: {listed}"


def too_many_reasons(most: int) -> str:
    return f"В списке причин непередачи показаний может быть не больше {most} причин"


REASONS_EMPTY = ("Список причин непередачи показаний не может быть пустым: оставьте хотя бы "
                 "одну причину")


def not_read_text(name: str) -> str:
    """A not-read reading where values would stand: «Не снято: Нет доступа»."""
    return f"Не снято: {name}"


def reason_code_bad(where: str) -> str:
    """`where`: «Поле Reasons[1].Code» (SOAP) or reason_row's «Строка 2, код» (the admin's)."""
    return f"{where}: код причины – от 1 до 20 латинских букв, цифр, «_» и «-»"


def reason_name_bad(where: str) -> str:
    return f"{where}: название причины – от 1 до 100 знаков"


REASONS_HINT = ("Причины, которые организации могут указать вместо показаний, в этом порядке. "
                "Снятая галочка убирает причину из списка (переданные с ней показания ее "
                "сохраняют); новая причина – в последней строке. Список ведет и биллинг.")


def field_named(field: str) -> str:
    """A SOAP field as messages name it: «Поле Reasons[1].Code»."""
    return f"Поле {field}"


def reason_row(row: int, part: str) -> str:
    """Where in the administrator's list of reasons: «Строка 2, код»."""
    return f"Строка {row}, {'код' if part == 'Code' else 'название'}"


def reason_repeated(where: str, what: str) -> str:
    return f"{where}: «{what}» уже есть в этом списке"


def zone_missing(zone: str) -> str:
    return f"Не указаны показания {zone}"


def zone_extra(zone: str, zones: int) -> str:
    return f"Лишние показания {zone}: счетчик {ZONE_TYPES[zones].lower()}"


def not_a_number(zone: str) -> str:
    return f"{zone}: не число"


def negative(zone: str) -> str:
    return f"{zone}: отрицательное значение"


def too_many_fraction_digits(zone: str, allowed: int) -> str:
    if allowed == 0:
        return f"{zone}: должно быть целым числом"
    return (f"{zone}: больше {allowed} {plural(allowed, 'знака', 'знаков', 'знаков')} "
            f"после запятой")


def too_many_integer_digits(zone: str, capacity: int) -> str:
    return (f"{zone}: больше {capacity} {plural(capacity, 'разряда', 'разрядов', 'разрядов')} "
            f"до запятой (разрядность счетчика)")


def lower_than_last(zone: str, last: Decimal) -> str:
    return f"{zone} меньше последних учтенных показаний ({kwh_text(last)})"


def rollover(zone: str, last, value) -> str:
    return f"{zone}: переход счетчика через ноль ({kwh_text(last)} → {kwh_text(value)})"


def above_ceiling(consumed, ceiling, days_count: int) -> str:
    return (f"Расход {kwh_text(consumed)} кВт·ч больше допустимого: {kwh_text(ceiling)} кВт·ч "
            f"за {days(days_count)}")


def verification_expired(due) -> str:
    return f"Истек срок поверки счетчика ({due:%d.%m.%Y})"


# --- the rules an administrator sets (readings/rules.py) ------------------------------------------
# How the settings are called on the administrator's page and in messages.
RULE_LABELS = {"period_start_day": "Первый день периода",
               "period_end_day": "Последний день периода",
               "common_house_start_day": "Первый день периода ОДПУ",
               "common_house_end_day": "Последний день периода ОДПУ",
               "common_house_last_reading_day": "Последний день даты показаний ОДПУ",
               "fraction_digits": "Знаков после запятой",
               "kwh_per_day_individual": "Предельный расход ИПУ",
               "kwh_per_day_common_house": "Предельный расход ОДПУ",
               "plausibility_factor": "Во сколько раз расход отличается от обычного",
               "plausibility_margin_kwh": "Наименьшее отличие от обычного расхода"}
PERIOD_DAYS_REVERSED = "Первый день периода передачи показаний позже последнего"
COMMON_HOUSE_DAYS_REVERSED = ("Первый день периода передачи показаний общедомовых приборов учета "
                              "позже последнего")
KINDS_DAYS_APART = ("Дни передачи показаний общедомовых приборов учета должны пересекаться с днями "
                    "индивидуальных или примыкать к ним")
COMMON_HOUSE_READING_DAY_OUTSIDE = ("Последний день даты показаний общедомовых приборов учета "
                                    "должен быть в периоде их передачи")


def unknown_rule(key: str) -> str:
    return f"Неизвестная настройка {key}"


def rule_not_a_number(label: str, key: str) -> str:
    return f"{label} ({key}): не число"


def rule_out_of_bounds(label: str, key: str, low, high) -> str:
    return f"{label} ({key}): допустимо от {low} до {high}"


# --- submission period ----------------------------------------------------------------------------
def period_closed(start_day: int, end_day: int) -> str:
    """docs/spec.md §5.1, verbatim."""
    return f"Передача показаний возможна с {start_day} по {end_day} число"


def kinds_period_closed(rules) -> str:
    """docs/spec.md §5.1, §5.2: outside every kind's days, the days of each (ReadingRules
    `rules`); the manual's sentence alone when the kinds' days are the same."""
    individual = (rules.period_start_day, rules.period_end_day)
    common = (rules.common_house_start_day, rules.common_house_end_day)
    if individual == common:
        return period_closed(*individual)
    return (f"{period_closed(*individual)}, по общедомовым приборам учета – с {common[0]} по "
            f"{common[1]} число")


def kind_period_closed(kind: str, rules) -> str:
    """docs/spec.md §5.2: a meter's kind whose days these are not, while the other's are."""
    if kind == "common_house":
        return (f"Показания общедомовых приборов учета принимаются с "
                f"{rules.common_house_start_day} по {rules.common_house_end_day} число")
    return (f"Показания индивидуальных приборов учета принимаются с {rules.period_start_day} по "
            f"{rules.period_end_day} число")


MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                   "сентября", "октября", "ноября", "декабря")


def day_of_month(day) -> str:
    """A Moscow date as the deadline says it: «26 декабря»."""
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]}"


def period_closes(last_day) -> str:
    """docs/spec.md §0: every cabinet page, while the period is open."""
    return f"Приём показаний до 24:00 {day_of_month(last_day)} (МСК)"


def period_opens(first_day, last_day) -> str:
    """docs/spec.md §0: every cabinet page, while the period is closed (the next period)."""
    return (f"Приём показаний с 00:00 {day_of_month(first_day)} до 24:00 "
            f"{day_of_month(last_day)} (МСК)")


def hours_minutes(remaining) -> str:
    """A timedelta as the last day's counter gives it, minutes cut down: «0 ч 02 мин»."""
    minutes = int(remaining.total_seconds()) // 60
    return f"{minutes // 60} ч {minutes % 60:02d} мин"


# --- manual entry (docs/spec.md §6–§8) ------------------------------------------------------------
READING_DELETED = "Показание удалено"
READING_NOT_DELETABLE = ("Показание не найдено или его нельзя удалить: удалить можно только "
                         "действующее показание, переданное вручную в текущем сеансе работы и "
                         "еще не принятое биллингом")
CHANNEL_LABELS = {"manual": "вручную", "file": "из файла", "api": "через API",
                  "billing": "биллингом"}


def zone_values(values) -> str:
    """«Т1 1100; Т2 300,5» for the zones that have a value."""
    return "; ".join(f"{zone} {kwh_text(v)}" for zone, v in zip(ZONE_LABELS, values, strict=False)
                     if v is not None)


def reading_deleted(restored) -> str:
    """After a delete; names the reading that is current again, if any (docs/spec.md §8, §13.9)."""
    if restored is None:
        return READING_DELETED
    return (f"{READING_DELETED}. Действующим снова стало показание от "
            f"{restored.reading_date:%d.%m.%Y}: {submission_values(restored)}")


# --- consumption and coverage ---------------------------------------------------------------------
VERDICT_ACCEPTED = "Принято биллингом"
VERDICT_PENDING = "Ожидает проверки биллингом"


def verdict_declined(reason: str | None) -> str:
    return f"Отклонено биллингом: {reason}" if reason else "Отклонено биллингом"


# Months as the consumption chart names them (docs/spec.md §6.1).
MONTHS_SHORT = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя",
                "дек")
CHART_UNIT = "кВт·ч"
FROM_FILE = "этот файл"


def month_short(month: dt.date, year: bool = False) -> str:
    """«фев», or with `year` «фев 2026»."""
    name = MONTHS_SHORT[month.month - 1]
    return f"{name} {month.year}" if year else name


def _zones_text(zones: tuple) -> str:
    """« (Т1 400, Т2 200)» for a meter of several zones, '' for one."""
    if len(zones) < 2:
        return ""
    return " (" + ", ".join(f"{zone} {kwh_text(v)}"
                            for zone, v in zip(ZONE_LABELS, zones, strict=False)) + ")"


def month_use(month: dt.date, kwh: Decimal, zones: tuple, since: dt.date, until: dt.date,
              from_file: bool = False) -> str:
    """A consumption chart bar's title: «фев 2026: 600 кВт·ч (Т1 400, Т2 200), 20.01–20.02.2026»,
    «…, этот файл» for the upload buffer's reading."""
    text = (f"{month_short(month, year=True)}: {kwh_text(kwh)} {CHART_UNIT}{_zones_text(zones)}, "
            f"{since:%d.%m}–{until:%d.%m.%Y}")
    return f"{text}, {FROM_FILE}" if from_file else text


def monthly_use_label(bars: list) -> str:
    """A consumption chart in words, its aria-label (docs/spec.md §6.1): «Расход по месяцам,
    кВт·ч, фев 2026 – мар 2026: фев 600 (Т1 400, Т2 200), мар 620 (Т1 410, Т2 210, этот
    файл)». `bars` are (first day of the month, kWh, kWh per zone, from the file) of the months
    with a bar, oldest first; the other months are not named (they have no bar)."""
    first, last = bars[0][0], bars[-1][0]
    span = month_short(first, year=True) if first == last \
        else f"{month_short(first, year=True)} – {month_short(last, year=True)}"
    items = []
    for month, kwh, zones, from_file in bars:
        item = f"{month_short(month)} {kwh_text(kwh)}{_zones_text(zones)}"
        if from_file:
            item = item[:-1] + f", {FROM_FILE})" if item.endswith(")") else f"{item} ({FROM_FILE})"
        items.append(item)
    return f"Расход по месяцам, {CHART_UNIT}, {span}: " + ", ".join(items)


# --- the export (ExportReadings) ------------------------------------------------------------------
CURSOR_NEGATIVE = "Поле Cursor: неотрицательное число"
EXPORT_DATES_REVERSED = "Поле DateFrom: дата позже DateTo"


def bad_limit(maximum: int) -> str:
    return f"Поле Limit: от 1 до {maximum}"


def cursor_ahead(cursor: int, last: int) -> str:
    return f"Поле Cursor: {cursor} больше последнего выданного номера {last}"


# === spreadsheets (spreadsheets/) =================================================================
# --- the template's sheets and columns (spreadsheets/layout.py) -----------------------------------
VERSION_SHEET = "Служебный"
SHEET_INDIVIDUAL = "ИПУ"
SHEET_COMMON_HOUSE = "ОДПУ"
# The template's column titles by the column's key.
TEMPLATE_TITLES = {
    "address": "Адрес", "apartment": "Квартира", "account": "Лицевой счет",
    "meter_number": "№ счетчика", "ratio": "Коэффициент трансформации",
    "metering_type": "Тип учета", "last_t1": "Последние учтенные Т1",
    "last_t2": "Последние учтенные Т2", "last_t3": "Последние учтенные Т3",
    "last_date": "Дата последних учтенных показаний",
    # docs/spec.md §13.10: the most a typical month's reading reaches, by the period's end.
    "expected_t1": "Ожидается до Т1", "expected_t2": "Ожидается до Т2",
    "expected_t3": "Ожидается до Т3", "t1": "Т1", "t2": "Т2", "t3": "Т3",
    "reading_date": "Дата показания",
    # docs/spec.md §13.11: a reason instead of values.
    "not_read": "Не снято, причина", "remark": "Примечание",
}


# --- reading a file (spreadsheets/intake.py) ------------------------------------------------------
FILE_EMPTY = "Файл пуст. Выберите заполненный файл шаблона."
FILE_NOT_SPREADSHEET = ("Файл не распознан как таблица Excel. Загрузите файл .xls, .xlsx или "
                        ".ods, заполненный по шаблону.")
FILE_DAMAGED = "Файл поврежден и не может быть прочитан. Сохраните его заново и повторите загрузку."
FILE_FORBIDDEN_XML = ("Файл содержит запрещенные конструкции XML (DTD, сущности, в том числе "
                      "внешние) и не будет прочитан. Программы электронных таблиц их не "
                      "записывают: сохраните файл заново в Excel или LibreOffice Calc.")


def file_packed_suspiciously(extension: str = ".xlsx") -> str:
    """A zipped workbook (.xlsx, .xlsb, .ods) with a part inflating past the ratio limit."""
    return (f"Файл {extension} сжат подозрительно сильно и не будет прочитан. Сохраните "
            f"его заново в программе электронных таблиц.")


FILE_PACKED_SUSPICIOUSLY = file_packed_suspiciously()
FILE_NO_ROWS = "В файле нет строк с показаниями."


def file_too_large(limit_mb: int) -> str:
    return f"Файл больше {limit_mb} МБ. Разделите его на несколько файлов."


def file_no_template_sheets(columns: str) -> str:
    return f"В файле не найден лист шаблона: нет строки заголовков со столбцами {columns}."


def file_missing_columns(columns: str, sheet: str, row: int) -> str:
    return (f"В файле нет столбцов {columns} (лист «{sheet}», строка заголовков {row}). "
            f"Скачайте новый шаблон или добавьте эти столбцы.")


def sheet_hidden(sheet: str) -> str:
    return f"Скрытый лист «{sheet}» не прочитан. Сделайте его видимым, если в нем показания."


def sheet_without_header(sheet: str) -> str:
    return (f"Лист «{sheet}» не прочитан: в нем нет строки заголовков шаблона "
            f"(«№ счетчика», «Т1», «Т2», «Т3», «Дата показания»).")


def file_too_many_rows(limit: str) -> str:
    return f"В файле больше {limit} строк. Разделите его на несколько файлов."


def file_too_many_sheets(limit: int) -> str:
    return f"В файле больше {limit} листов. Оставьте листы шаблона и загрузите файл снова."


def file_unzipped_too_large(limit_mb: int, extension: str = ".xlsx") -> str:
    return (f"Файл {extension} после распаковки больше {limit_mb} МБ. Сохраните его заново "
            f"или разделите на несколько файлов.")


def file_too_many_cells(limit: str) -> str:
    return (f"В файле больше {limit} заполненных ячеек (с учетом пустых слева от них). "
            f"Оставьте столбцы шаблона и загрузите файл снова.")


def html_table(number: int) -> str:
    """The name of the n-th table of an HTML «spreadsheet», in place of a sheet's."""
    return f"Таблица {number}"


# --- the rows' notes (spreadsheets/upload.py) -----------------------------------------------------
METER_AMBIGUOUS = "Номер счетчика подходит к нескольким счетчикам, укажите номер полностью"
METER_NOT_OF_ACCOUNT = "Счетчик не относится к указанному лицевому счету"
METER_NOT_OF_APARTMENT = "Счетчик не относится к указанной квартире"
METER_REPEATED = "Счетчик указан в файле повторно"
ROW_HIDDEN = "Строка скрыта в файле, показания из нее прочитаны"
METER_GONE = "Счетчик снят или больше не обслуживается организацией"
# Places named at most, so that a meter on thousands of rows keeps a short note.
_PLACES_SHOWN = 10


def meter_leading_zeros_restored(number: str) -> str:
    return f"Номер счетчика восстановлен с ведущими нулями: {number}"


# The upload form's «Дата показаний для строк без даты» (docs/spec.md §10).
UNDATED_ROWS_HINT = ("Необязательно. Ставится в строки с показаниями, где дата не указана; "
                     "в примечании такой строки это сказано.")
FORM_DATE_UNREADABLE = ("Дата показаний для строк без даты не распознана: укажите ее в виде "
                        "ДД.ММ.ГГГГ. Файл не загружен.")


def form_date_outside(date: dt.date, first: dt.date, last: dt.date) -> str:
    """The form's date for undated rows is not one a reading may have today."""
    return (f"Дата показаний для строк без даты ({date:%d.%m.%Y}) должна быть в периоде передачи "
            f"показаний и не позже сегодняшнего дня: с {first:%d.%m.%Y} по {last:%d.%m.%Y}. "
            "Файл не загружен.")


def reading_date_from_form(date: dt.date) -> str:
    """The note of a row with readings and no date that took the form's date."""
    return f"Дата показаний взята из формы: {date:%d.%m.%Y}"


def meter_in_rows(places: list[tuple[str, int]]) -> str:
    """«Счетчик указан в файле несколько раз: строки 4, 10» for the (sheet, row) places of one
    meter; sheets are named when the rows are on more than one; past ten places, «…»."""
    shown = places[:_PLACES_SHOWN]
    tail = ", …" if len(places) > _PLACES_SHOWN else ""
    if len({sheet for sheet, _row in places}) == 1:
        where = "строки " + ", ".join(str(row) for _sheet, row in shown) + tail
    else:
        where = "; ".join(f"лист «{sheet}», строка {row}" for sheet, row in shown) + tail
    return f"Счетчик указан в файле несколько раз: {where}"


def formula_without_value(columns: list[str]) -> str:
    """The note of cells whose formula has no saved value (a program that does not calculate
    wrote the file): what to do so that the values are there."""
    if len(columns) == 1:
        what = f"{columns[0]}: в ячейке формула без сохраненного значения"
    else:
        what = f"{', '.join(columns)}: в ячейках формулы без сохраненных значений"
    return (f"{what}. Откройте файл в Excel или LibreOffice Calc и сохраните его (или вставьте "
            f"вместо формул значения)")


# --- the buffer and sending (spreadsheets/upload.py, buffer.py) -----------------------------------
# A file's name when the browser sent none that could be shown.
UNNAMED_FILE = "файл"
UNKNOWN_ADDRESS = "Адрес не определен"
NOTHING_TO_SEND = "В файле нет верных строк: отправлять нечего."
BUFFER_GONE = "Загруженный файл не найден или уже отправлен. Загрузите файл заново."


def buffer_kind_closed(n: int, reason: str) -> str:
    """docs/spec.md §5.2: sending found rows of a kind whose days ended since the upload."""
    became = plural(n, "строка файла стала ошибочной", "строки файла стали ошибочными",
                    "строк файла стали ошибочными")
    return (f"{reason}: {n} {became} (см. примечания). Показания не отправлены; отправьте "
            f"остальные верные строки снова.")


def buffer_changed(n: int, reasons_only: bool = False) -> str:
    """Sending found rows that the meters' changes since the upload made wrong — or, with
    `reasons_only`, the reasons' list (docs/spec.md §13.11)."""
    became = plural(n, "строка стала ошибочной", "строки стали ошибочными",
                    "строк стали ошибочными")
    what = ("список причин непередачи показаний" if reasons_only
            else "данные счетчиков")
    return (f"После загрузки файла {'изменился' if reasons_only else 'изменились'} {what}: "
            f"{n} {became} (см. примечания). Показания не отправлены; проверьте файл и "
            f"отправьте верные строки снова.")


def already_sent(file_name: str, sent_at, readings: int) -> str:
    """A send repeated after it went through (a second click, a retry after a lost answer)."""
    return (f"Файл «{file_name}» уже отправлен {sent_at.astimezone(MOSCOW):%d.%m.%Y %H:%M}: "
            f"передано {readings} {plural(readings, 'показание', 'показания', 'показаний')}.")


def short_name(full_name: str | None) -> str:
    """A person's surname and initials: «Сидорова Анна Викторовна» → «Сидорова А. В.»."""
    surname, *names = (full_name or "").split() or [""]
    return " ".join([surname, *(f"{n[0]}." for n in names)])


def _sent_when_by(sent_at, sent_by: str | None) -> str:
    """«26.12.2026 в 23:10 (Сидорова А. В.)», Moscow time."""
    who = short_name(sent_by)
    return f"{sent_at.astimezone(MOSCOW):%d.%m.%Y в %H:%M}" + (f" ({who})" if who else "")


def file_sent_before(sent_at, sent_by: str | None) -> str:
    """docs/spec.md §11: the same file (by content) was sent in this period already."""
    return f"Этот файл уже отправлен {_sent_when_by(sent_at, sent_by)}"


def send_again_not_confirmed(sent_at, sent_by: str | None) -> str:
    """docs/spec.md §11.2: a plain «Да» does not send a file sent in this period already."""
    return (f"{file_sent_before(sent_at, sent_by)}. Чтобы отправить его повторно, отметьте "
            f"«Да, отправить повторно».")


def buffer_sent(sent_at, wrong: int) -> str:
    """docs/spec.md §11.1: the buffer after its valid rows were sent, its wrong rows left."""
    return (f"Верные строки файла отправлены {sent_at.astimezone(MOSCOW):%d.%m.%Y в %H:%M}. "
            f"Остались ошибочные строки: {grouped(wrong)} — выгрузите их в файл, исправьте и "
            f"загрузите снова.")


# «Выгрузить ошибки в файл»: the template's titles, and where the row was.
ERRORS_SHEET_TITLE = "Лист"
ERRORS_ROW_TITLE = "Строка"


def errors_sheet(sheet: str) -> str:
    """The errors workbook's sheet of a template sheet: «ИПУ — ошибки»."""
    return f"{sheet} — ошибки"


RECEIPT_SUBJECT = "Показания переданы"


def receipt_body(name: str, file_name: str, individual: int, common_house: int,
                 sent_at: str) -> str:
    return f"""Здравствуйте, {name}!

Из файла «{file_name}» переданы показания:
- по индивидуальным приборам учета: {individual};
- по общедомовым приборам учета: {common_house}.

Время отправки (МСК): {sent_at}.
"""


# Houses a reminder lists at most; the rest are counted (docs/spec.md §2.3).
REMINDER_HOUSES = 200


def reminder_subject(last_day: dt.date) -> str:
    """docs/spec.md §2.3: «Показания принимаются до 26.03.2026: не по всем счетчикам»."""
    return f"Показания принимаются до {last_day:%d.%m.%Y}: переданы не по всем счетчикам"


def reminder_body(name: str, days_left: int, last_day: dt.date,
                  houses: list[tuple[str, int, int]], missing_url: str, readings_url: str,
                  settings_url: str) -> str:
    """docs/spec.md §2.3: the reminder of the meters without a reading this period, per house
    (address, individual, common-house meters missing), with the links to act on it."""
    individual = sum(i for _a, i, _c in houses)
    common = sum(c for _a, _i, c in houses)
    lines = [f"- {address}: " + ", ".join(part for part in (
        f"индивидуальных – {grouped(i)}" if i else "",
        f"общедомовых – {grouped(c)}" if c else "") if part)
             for address, i, c in houses[:REMINDER_HOUSES]]
    if len(houses) > REMINDER_HOUSES:
        rest = len(houses) - REMINDER_HOUSES
        lines.append(f"- и еще {count_of(rest, 'дом', 'дома', 'домов')}")
    meters = individual + common
    return "\n".join([
        f"Здравствуйте, {name}!",
        "",
        f"До окончания периода передачи показаний: {days(days_left)} (по {last_day:%d.%m.%Y} "
        f"включительно, до 24:00 МСК).",
        f"Еще нет показаний по {grouped(meters)} "
        f"{plural(meters, 'счетчику', 'счетчикам', 'счетчикам')} (индивидуальных – "
        f"{grouped(individual)}, общедомовых – {grouped(common)}) в "
        f"{count_of(len(houses), 'доме', 'домах', 'домах')}:",
        *lines,
        "",
        f"Счетчики без показаний – шаблон для заполнения: {missing_url}",
        f"Передать показания: {readings_url}",
        "",
        f"Напоминания отключаются в разделе «Настройки»: {settings_url}",
        ""])


def reminder_hint(reminder_days: tuple[int, ...]) -> str:
    """docs/spec.md §3.3: when the reminders come (the installation's LKK_REMINDER_DAYS)."""
    if not reminder_days:
        return "Сейчас напоминания не рассылаются."
    when = " и ".join(f"за {days(n)}" for n in reminder_days)
    return (f"Письмо приходит {when} до окончания периода, если показания переданы не по "
            f"всем счетчикам.")


REMINDERS_SAVED_ON = "Напоминания о счетчиках без показаний включены"
REMINDERS_SAVED_OFF = "Напоминания о счетчиках без показаний отключены"


# === SOAP (soap/) =================================================================================
def soap_internal_error(code: str) -> str:
    return f"Внутренняя ошибка сервиса. Код обращения: {code}"


def soap_unavailable(code: str) -> str:
    return (f"Сервис временно недоступен: нет связи с базой данных. Повторите запрос "
            f"позже (запись — с тем же RequestId). Код обращения: {code}")


# --- HTTP and the envelope (soap/app.py) ----------------------------------------------------------
SOAP_USE_POST = "Используйте POST для вызовов и GET ?wsdl для WSDL"
SOAP_NO_ATTACHMENTS = "Вложения (SwA/MTOM) не поддерживаются: отправьте запрос как text/xml"
SOAP_BAD_CONTENT_LENGTH = "Заголовок Content-Length должен быть числом байт тела запроса"
SOAP_UNREADABLE_BODY = ("Тело запроса не удалось прочитать: нарушено кодирование частями "
                        "(Transfer-Encoding: chunked) или соединение прервано")
SOAP_CHARSET_FROM_BYTES = "тела запроса"
SOAP_CHARSET_FROM_HEADER = "в заголовке"
SOAP_CHARSET_FROM_DECLARATION = "в XML"
SOAP_MALFORMED_XML = "Тело запроса не является корректным XML"
SOAP_DTD_FORBIDDEN = "DOCTYPE и сущности в запросе не допускаются"
SOAP_VERSION_12 = "Поддерживается SOAP 1.1; пришел конверт SOAP 1.2"
SOAP_NOT_AN_ENVELOPE = "Ожидается конверт SOAP 1.1 (soap:Envelope) с операцией в soap:Body"
SOAP_ENVELOPE_PARTS = ("Конверт SOAP 1.1 состоит из необязательного soap:Header и одного "
                       "soap:Body с операцией, без текста и других частей")
SOAP_PROCESSING_INSTRUCTIONS = "Инструкции обработки (<?…?>) в запросе не допускаются"
SOAP_ONE_OPERATION = "В soap:Body должна быть ровно одна операция"


def soap_request_too_large(limit: int) -> str:
    return f"Запрос больше {limit} байт"


def soap_charset_unknown(charset: str) -> str:
    return (f"Неизвестная или неподдерживаемая кодировка {charset}: запрос принимается "
            f"в UTF-8, UTF-16, UTF-32 или в кодировке, совместимой с ASCII "
            f"(windows-1251, koi8-r)")


def soap_charsets_disagree(first: str, a: str, second: str, b: str) -> str:
    """`first` and `second` say where each encoding was found (SOAP_CHARSET_FROM_*)."""
    return f"Кодировка {first} ({a}) не совпадает с кодировкой {second} ({b})"


def soap_not_in_charset(charset: str) -> str:
    return f"Тело запроса не в кодировке {charset}"


def soap_must_understand(header: str) -> str:
    return f"Заголовок {header} с mustUnderstand не поддерживается"


def soap_must_understand_value(header: str) -> str:
    return f"Атрибут mustUnderstand заголовка {header} должен быть 0 или 1"


# --- the schema's verdicts (soap/validation.py) ---------------------------------------------------
# What a value of an XML Schema type looks like, by the type's name.
ATOMIC_TYPES = {
    "integer": "целое число", "long": "целое число", "int": "целое число",
    "decimal": "число с точкой, например 12345.67", "date": "дата в виде ГГГГ-ММ-ДД",
    "dateTime": "дата и время в виде ГГГГ-ММ-ДДTчч:мм:сс", "boolean": "true или false",
    "string": "строка",
}
OTHER_TYPE = "значение другого типа"


def operation_namespace(name: str, namespace: str) -> str:
    return f"Операция {name} должна быть в пространстве имен {namespace}"


def unknown_operation(name: str) -> str:
    return f"Неизвестная операция {name}"


def field_not_expected(field: str, expected: str, namespace: str | None) -> str:
    """An element out of place; `expected` lists those that may come there, `namespace` is
    named when the element's name is right but its namespace is not."""
    tail = f"; ожидается {expected}" if expected else ""
    if namespace:
        tail += f" в пространстве имен {namespace}"
    return f"Поле {field} здесь не ожидается{tail}"


def out_of_range(field: str, value: str, low: int, high: int) -> str:
    """An integer literal the field's type cannot hold: the range is its facets' or the type's
    own."""
    return f"Поле {field}: значение «{value}» вне допустимого диапазона: от {low} до {high}"


def value_not_of_type(field: str, value: str, expected: str) -> str:
    return f"Поле {field}: значение «{value}» не подходит, ожидается {expected}"


def value_beyond(field: str, value: str, below: bool, limit: str) -> str:
    side = "меньше минимума" if below else "больше максимума"
    return f"Поле {field}: значение «{value}» {side} {limit}"


def value_too_long(field: str, limit: str | None) -> str:
    return f"Поле {field}: длина больше {limit or 'допустимой'} символов"


def value_not_matching(field: str, value: str, pattern: str) -> str:
    """A value outside its type's pattern (a reason's Code, docs/spec.md §13.11)."""
    return f"Поле {field}: значение «{value}» не подходит, ожидается по образцу {pattern}"


def value_too_short(field: str) -> str:
    return f"Поле {field}: значение слишком короткое"


def value_not_elements(field: str) -> str:
    return f"Поле {field}: ожидается значение, а не вложенные элементы"


def value_not_nillable(field: str) -> str:
    return f"Поле {field} не может быть пустым (nil)"


def value_against_schema(field: str) -> str:
    return f"Поле {field}: значение не соответствует схеме (WSDL)"


# --- API tokens (signin/api_tokens.py, docs/spec.md §21) -------------------------------------
API_TOKEN_NAME = "Название токена"
API_TOKEN_NAME_INVALID = "Название токена – от 1 до 100 знаков"
API_TOKEN_UNKNOWN = "Токен не найден или уже отозван"
API_TOKEN_REFUSED = "Токен не указан, неизвестен или отозван"
API_TOKEN_SHOWN_ONCE = ("Скопируйте токен сейчас: он показывается один раз и нигде не хранится. "
                        "Потерянный токен отзовите и создайте новый.")


API_TOKENS_HINT = ("Токены для собственных программ организации (1С:ЖКХ, «Домовой», скрипты): "
                   "программа передает токен в заголовке Authorization и работает с API "
                   "кабинета от имени организации. Каждый запрос с токеном записывается в "
                   "журнал изменений.")
API_TOKENS_NONE = "Токенов нет"
API_TOKEN_NEVER_USED = "не было"


def moscow_time(at) -> str:
    """An instant as a Moscow date and time: «06.12.2026 03:25»."""
    return f"{at.astimezone(MOSCOW):%d.%m.%Y %H:%M}"


def api_token_name_taken(name: str) -> str:
    return f"Токен с названием «{name}» уже есть"


def api_token_revoked(name: str) -> str:
    return f"Токен «{name}» отозван: запросы с ним больше не принимаются"


# --- the JSON API (lkk_web/api.py, docs/spec.md §21) -----------------------------------------
API_TITLES = {"authentication": "Нужен действующий токен",
              "validation": "Запрос не прошел проверку",
              "not_found": "Не найдено",
              "method_not_allowed": "Метод не поддерживается",
              "rate_limited": "Слишком много запросов",
              "internal": "Внутренняя ошибка",
              "unavailable": "Сервис временно недоступен",
              "period_closed": "Показания сейчас не принимаются",
              "too_large": "Слишком большой запрос",
              "idempotency_key_reused": "Idempotency-Key уже использован с другим запросом",
              "unsupported_media_type": "Ожидается application/json",
              "json_invalid": "Тело запроса – не JSON",
              "bad_request": "Запрос не разобран"}
API_VALUE_TYPE = "ожидается число, строка или null"
API_BODY_TOO_DEEP = "Тело запроса – не JSON, который можно разобрать: вложенность слишком глубока"
API_BAD_REQUEST = "Запрос не разобран (оборванное или искаженное тело): повторите его"


def api_body_charset(charset: str) -> str:
    return (f"Тело запроса не читается в кодировке {charset}: отправьте его в UTF-8 "
            f"(или укажите верную charset в Content-Type)")


def api_body_not_json(line: int, column: int) -> str:
    """The body is no JSON: where the parser stopped."""
    return f"Тело запроса – не JSON: ошибка в строке {line}, позиции {column}"


def api_body_constant(constant: str) -> str:
    return f"Тело запроса – не JSON: {constant} не число JSON (пустое значение – null)"


def api_body_key_twice(key: str) -> str:
    return f"Тело запроса: ключ «{key}» в одном объекте дважды – какой из них верен?"


API_BODY_NUMBER_TOO_LONG = "Тело запроса: число длиннее 4300 цифр"
API_BODY_ENCODED = ("Сжатое тело запроса (Content-Encoding) не принимается: отправьте JSON без "
                    "сжатия")
API_PERIOD_FORMAT = "период в виде ГГГГ-ММ, например 2026-03"
API_METER_MISSING = "Не указан счетчик: meter_id или meter_number"
API_METER_AMBIGUOUS = ("Номер подходит к нескольким счетчикам организации: укажите meter_id "
                       "(он есть в GET /api/v1/houses)")
API_METER_MISMATCH = "meter_id и meter_number называют разные счетчики"
API_READING_NOT_DELETABLE = ("Показание не найдено или его нельзя удалить: удалить можно только "
                             "действующее показание текущего периода, переданное с этим же "
                             "токеном и еще не принятое биллингом")
API_UNSUPPORTED_MEDIA_TYPE = "Тело запроса – JSON: укажите Content-Type: application/json"


def api_meter_repeated(first: int) -> str:
    """docs/spec.md §13.8 in a batch: the item `first` (from 0) of the meter stands."""
    return f"Счетчик уже указан в этом запросе: принят элемент items[{first}]"


def api_items_count(most: int) -> str:
    return f"В запросе – от 1 до {most:,} показаний".replace(",", " ")


def api_body_too_large(most: int) -> str:
    return (f"Тело запроса больше {most // (1024 * 1024)} МБ: разделите показания на несколько "
            f"запросов")


def api_idempotency_key_reused(key: str) -> str:
    return (f"Запрос с Idempotency-Key «{key}» уже выполнен с другим содержимым: для нового "
            f"запроса нужен новый ключ")


API_IDEMPOTENCY_KEY_INVALID = "Idempotency-Key – от 1 до 255 видимых знаков ASCII, без пробелов"
API_NOT_FOUND = "Такого адреса в API нет: список – в /api/v1/openapi.json"


def api_quota_exceeded(limit: int) -> str:
    return (f"Слишком много запросов: с одним токеном – не больше {limit} в минуту. "
            f"Повторите после паузы (заголовок Retry-After)")


def api_method_not_allowed(allowed: str) -> str:
    return f"Этот адрес API так не вызывается; можно: {allowed}"


API_INVALID_REQUEST = "Запрос не прошел проверку: поля и причины – в errors"
API_DESCRIPTION = ("API личного кабинета обслуживающей организации для ее собственных программ: "
                   "дома и счетчики организации, передача показаний (до 10 000 за запрос, по "
                   "правилам кабинета), переданные показания с решениями биллинга. Токен "
                   "создается в «Настройках» кабинета и "
                   "передается в заголовке Authorization: Bearer <токен>. Ошибки – RFC 9457 "
                   "(application/problem+json), с машинным кодом в code.")
_API_FIELD_ERRORS = {
    "missing": "обязательное поле", "int_parsing": "ожидается целое число",
    "int_type": "ожидается целое число", "decimal_parsing": "ожидается число",
    "date_from_datetime_parsing": "ожидается дата ГГГГ-ММ-ДД", "date_parsing":
    "ожидается дата ГГГГ-ММ-ДД", "string_type": "ожидается строка",
    "bool_parsing": "ожидается true или false", "extra_forbidden": "неизвестное поле",
    "json_invalid": "тело запроса – не JSON", "list_type": "ожидается список",
    "model_type": "ожидается объект", "model_attributes_type": "ожидается объект",
    "string_pattern_mismatch": "не в том виде: см. описание поля в /api/v1/docs",
    "float_type": "ожидается число", "float_parsing": "ожидается число",
    "string_unicode": "строка с недопустимыми символами (одиночный суррогат UTF-16)",
    "bool_type": "ожидается true или false", "int_from_float": "ожидается целое число"}


def api_field_error(kind: str, ctx: dict, text: str) -> str:
    """A field's refusal in Russian from pydantic's error type and its context (the bounds)."""
    if kind in ("greater_than_equal", "greater_than"):
        return f"не меньше {ctx.get('ge', ctx.get('gt'))}" if kind.endswith("equal") \
            else f"больше {ctx.get('gt')}"
    if kind in ("less_than_equal", "less_than"):
        return f"не больше {ctx.get('le', ctx.get('lt'))}" if kind.endswith("equal") \
            else f"меньше {ctx.get('lt')}"
    if kind in ("string_too_long", "too_long"):
        return f"не длиннее {ctx.get('max_length')}"
    if kind in ("string_too_short", "too_short"):
        return f"не короче {ctx.get('min_length')}"
    if kind == "literal_error":
        return f"одно из значений: {ctx.get('expected')}"
    return _API_FIELD_ERRORS.get(kind, text)


API_NAME = "API кабинета обслуживающей организации"
API_FIELDS = {
    "code": ("Машинный код ошибки, неизменный: authentication, validation, not_found, "
             "method_not_allowed, rate_limited, period_closed, too_large, "
             "unsupported_media_type, idempotency_key_reused, internal, unavailable"),
    "item_meter": "Счетчик элемента (его meter_id) или null, если не найден",
    "item_date": "Дата показания, как она понята, или null",
    "item_errors": "Причины, по которым элемент не принят (пусто у верного)",
    "check_only": "true – только проверить и вернуть вердикты, ничего не сохраняя",
    "count_valid": "Верных элементов (только при check_only=true)",
    "count_stored": "Сохранено показаний", "count_unchanged": "Не изменилось (уже действуют)",
    "count_wrong": "Не принято элементов", "verdicts": "Вердикт по каждому элементу items",
    "date_of_reading": "Дата показания", "not_read_name": "Название причины «Не снято» или null",
    "submitted_at": "Когда передано (UTC)", "billing_reason": "Причина отказа биллинга или null",
    "total_readings": "Всего показаний за период", "readings": "Показания, по номерам",
    "deleted": "Номер удаленного показания",
    "page": "Номер страницы, с 1 (до 100 000)", "per_page": "Домов на странице",
    "kwh": "кВт·ч, десятичная строка",
    "low": "кВт·ч: наименьшее показание, которое пройдет без просьбы проверить",
    "high": "кВт·ч: наибольшее такое показание",
    "capacity": "Разрядность: цифр до запятой",
    "expected": ("По зонам: ожидаемые показания на дату expected_on своего вида ПУ; пусто, "
                 "пока у счетчика нет истории"),
    "expected_on": ("Дата, на которую даны ожидаемые показания, по виду ПУ: сегодня или "
                    "последний день даты показаний этого вида"),
    "errors": "Поля запроса, не прошедшие проверку, и причины",
    "field": "Поле запроса", "detail": "Причина",
    "meter_id": "Идентификатор счетчика в кабинете (id из GET /api/v1/houses), постоянный",
    "number": "№ счетчика, как на приборе (ведущие нули значимы)",
    "kind": "individual – индивидуальный ПУ, common_house – общедомовой",
    "zones": "Число тарифных зон: 1–3", "ratio": "Коэффициент трансформации (1 у ИПУ)",
    "apartment": "Квартира (у общедомового ПУ – null)",
    "account": "Лицевой счет (у общедомового ПУ – null)",
    "verification_due": "Срок поверки, если известен",
    "last_reading": "Последние учтенные показания или null",
    "house_id": "Номер дома в кабинете (постоянный)", "address": "Адрес дома",
    "meters": "Действующие счетчики: индивидуальные по квартирам, затем общедомовые",
    "pages": "Всего страниц", "total_houses": "Всего домов",
    "reading_date": "Дата показания: ГГГГ-ММ-ДД (или ДД.ММ.ГГГГ, как в кабинете)",
    "value": ("Показание зоны, кВт·ч: число или строка («1100,5», «12 345.6»), как в кабинете; "
              "null – зоны нет или не снято"),
    "not_read": ("Не снято: код или название причины из списка, который ведет биллинг (по "
                 "умолчанию NO_ACCESS, FAULTY, REMOVED), – вместо показаний"),
    "not_read_code": "Код причины «Не снято» или null",
    "items": "Показания: от 1 до 10 000",
    "idempotency_key": ("Ключ повтора (UUID или свой номер запроса): повтор с тем же ключом и "
                        "тем же телом возвращает первый ответ и ничего не сохраняет"),
    "item_code": ("Машинный код, неизменный: ошибки проверки (no_readings, zone_extra, ...), "
                  "счетчика (meter_unknown, meter_repeated, ...) и замечания (check_note, "
                  "rollover)"),
    "item_field": "Поле элемента, о котором ошибка (t1, reading_date, meter_id, ...)",
    "index": "Номер элемента в items, с 0",
    "status": ("valid – верно (только проверка), stored – сохранено, unchanged – такое же "
               "показание с этим токеном уже действует, wrong – не принято: причины в errors"),
    "remarks": ("Замечания к верному показанию: check_note – расход далек от обычного (показание "
                "сохранено с этой пометкой), rollover – переход через ноль"),
    "reading_id": "Номер показания в кабинете",
    "replaced_reading_id": "Номер показания этого периода, которое заменено, или null",
    "period_of": "Период передачи показаний: первое число месяца",
    "period": "Период ГГГГ-ММ; по умолчанию – текущий",
    "per_page_readings": "Показаний на странице",
    "channel": "Как передано: manual – вручную, file – файлом, api – через API",
    "check_note": "Пометка «Проверьте: …», с которой показание принято, или null",
    "billing_verdict": "Решение биллинга: accepted, declined или null (еще не рассмотрено)",
    "current_again": "Показание, которое снова действует вместо удаленного, или null"}
API_ANSWERS = {"200": "Успешно", "400": "Тело запроса – не JSON",
               "401": "Нужен действующий токен",
               "404": "Не найдено",
               "409": ("Показания сейчас не принимаются (period_closed) или Idempotency-Key "
                       "уже использован с другим телом (idempotency_key_reused)"),
               "413": "Слишком большой запрос", "415": "Ожидается application/json",
               "422": "Запрос не прошел проверку", "429": "Слишком много запросов",
               "500": "Внутренняя ошибка (код для обращения – в detail)",
               "503": ("Сервис временно недоступен или база данных занята: повторите "
                       "после паузы (Retry-After)")}
API_OPERATIONS = {
    "get__api_v1_houses": (
        "Дома организации со счетчиками",
        "Обслуживаемые дома по адресам, постранично; у каждого – действующие счетчики: номер, "
        "вид, зоны, разрядность, коэффициент трансформации, квартира и лицевой счет, срок "
        "поверки, последние учтенные показания и ожидаемые показания по зонам."),
    "post__api_v1_readings": (
        "Передать показания",
        "До 10 000 показаний за запрос, по правилам кабинета. Верные сохраняются сразу и "
        "заменяют показания этого периода; неверные возвращаются с причинами (как в кабинете) "
        "и машинными кодами. check_only=true – только проверить. Заголовок Idempotency-Key "
        "делает повтор безопасным: тот же ключ – тот же ответ."),
    "get__api_v1_readings": (
        "Переданные показания за период",
        "Действующие показания организации за период, переданные любым способом (вручную, "
        "файлом, через API), с решениями биллинга, по номерам."),
    "delete__api_v1_readings_{reading_id}": (
        "Удалить показание",
        "Только действующее показание текущего периода, переданное с этим же токеном и еще не "
        "принятое биллингом. Показание, которое оно заменило, снова действует.")}
API_TOKEN_SCHEME = "Токен из «Настроек» кабинета: Authorization: Bearer lkk_…"


# === the web cabinet (lkk_web/) ===================================================================
METHOD_NOT_ALLOWED = "Это действие так выполнить нельзя. Вернитесь на страницу и повторите."
FORM_EXPIRED = "Форма устарела. Повторите действие."


def internal_error(code: str) -> str:
    return f"Внутренняя ошибка. Повторите попытку позже; если она повторится, сообщите код: {code}"


def database_busy(code: str) -> str:
    return (f"База данных занята: запрос ждал дольше допустимого (например, других передач "
            f"показаний тех же счетчиков). Повторите его через минуту – с тем же "
            f"Idempotency-Key или той же формой это безопасно; если это повторится, сообщите "
            f"код: {code}")


def service_unavailable(code: str) -> str:
    return (f"Сервис временно недоступен: нет связи с базой данных. Повторите попытку "
            f"через минуту; если это повторится, сообщите код: {code}")


# --- signing in, recovery, settings ---------------------------------------------------------------
WELCOME_TITLE = "Добро пожаловать в Личный кабинет!"
NEW_PASSWORD_TITLE = "Ввод нового пароля"
RECOVERY_SENT = ("Если адрес зарегистрирован, на него отправлена временная ссылка для ввода нового "
                 "пароля. Откройте ее в течение 60 часов, иначе процедуру придется начать заново.")
RECOVERY_LOST_MAILBOX = "Нет доступа к почтовому ящику? Обратитесь в"
RECOVERY_RECEPTION = "виртуальную приемную энергосбытовой компании"
PASSWORD_CHANGED = "Пароль изменен"
EMAIL_CONFIRM_SENT = ("На новый адрес отправлено письмо со ссылкой. Адрес входа изменится, "
                      "когда вы откроете ссылку (в течение 60 часов).")
EMAIL_CHANGED = "Адрес входа изменен"


# --- the main page and a house's meters -----------------------------------------------------------
NO_MISSING_METERS = "Показания переданы по всем счетчикам"


def days_until_open(n: int) -> str:
    return f"До начала периода передачи показаний: {days(n)}"


def days_until_close(n: int) -> str:
    return f"Идет период передачи показаний. До его окончания: {days(n)}"


def time_until_close(remaining) -> str:
    """docs/spec.md §2: the counter on the period's last day, in hours and minutes."""
    return f"Идет период передачи показаний. До его окончания: {hours_minutes(remaining)}"


def period_counter(state, deadline) -> str:
    """docs/spec.md §2: the main page's counter for the period `state` (PeriodState) and its
    `deadline` (readings.period.deadline_of): hours and minutes on the last day, days (today
    included) before it, days until the next period outside it."""
    if deadline.is_last_day:
        return time_until_close(deadline.remaining)
    return days_until_close(state.days) if state.is_open else days_until_open(state.days)


def common_house_counter(rules, dates, countdown) -> str | None:
    """docs/spec.md §2, §5.2: the main page's line on common-house meters' own days, when they
    are not individual meters' (`rules` the ReadingRules; `dates` the first and last date their
    readings may have; `countdown` OpenPeriod.kind_countdown's); None when they are."""
    if (rules.common_house_start_day, rules.common_house_end_day,
            rules.common_house_last_reading_day) == (
            rules.period_start_day, rules.period_end_day, rules.period_end_day):
        return None
    first, last = dates
    dated = (f"с датой показания {first.day} числа" if first == last
             else f"с датой показания с {first.day} по {last.day} число")
    days_of = (f"Показания общедомовых приборов учета принимаются с "
               f"{rules.common_house_start_day} по {rules.common_house_end_day} число, {dated}")
    if countdown is None:
        return days_of
    on, count = countdown
    return f"{days_of}. До {'окончания' if on else 'начала'} их приема: {days(count)}"


def unsent_warning(file_name: str, valid: int, wrong: int, unfilled: int, remaining) -> str:
    """docs/spec.md §11: the banner before the close over a checked file not yet sent."""
    not_filled = f", из них не заполнено – {grouped(unfilled)}" if unfilled else ""
    return (f"Файл «{file_name}» проверен, но не отправлен: верных – {grouped(valid)}, "
            f"ошибок – {grouped(wrong)}{not_filled}. До окончания приёма показаний: "
            f"{hours_minutes(remaining)} (в 24:00 МСК). Не отправленный до закрытия периода файл "
            f"не будет передан.")


def unsent_after_close(file_name: str, uploaded_at, last_day, sent_at=None,
                       sent_by: str | None = None) -> str:
    """docs/spec.md §11: the closed readings page over the file that was not sent; when the
    same file was sent earlier in that period (`sent_at`, `sent_by`), only its repeat was not."""
    closed = f"период приёма закрылся в 24:00 {day_of_month(last_day)} (МСК)"
    uploaded = f"загруженный {uploaded_at.astimezone(MOSCOW):%d.%m в %H:%M}"
    if sent_at is not None:
        return (f"Файл «{file_name}», {uploaded}, не был отправлен повторно: {closed}. "
                f"{file_sent_before(sent_at, sent_by)}.")
    return (f"Файл «{file_name}», {uploaded}, не был отправлен: {closed}. "
            f"Показания из этого файла не переданы.")


def coverage_line(covered: int, meters: int, percent: int) -> str:
    """«Передано: 12 из 30 счетчиков (40 %)»."""
    return (f"Передано: {grouped(covered)} из {grouped(meters)} "
            f"{plural(meters, 'счетчика', 'счетчиков', 'счетчиков')} ({percent} %)")


# --- readings by file (docs/spec.md §9–§11) -------------------------------------------------------
CHOOSE_HOUSE = "Выберите хотя бы один дом"


def house_meters(n: int) -> str:
    """The template dialog's count beside an address (docs/spec.md §9): «312 счетчиков»."""
    return count_of(n, "счетчик", "счетчика", "счетчиков")


# Names of the files the cabinet gives (Content-Disposition's filename*), without extension.
TEMPLATE_FILE_NAME = "шаблон"
ERRORS_FILE_NAME = "ошибки"
MISSING_FILE_NAME = "без-показаний"
FILE_NOT_CHOSEN = "Выберите файл для загрузки."
CHOOSE_ROWS = "Выберите строки для удаления"
# docs/spec.md §11: a buffer larger than a page shows its houses collapsed.
OPEN_A_HOUSE = ("Строк больше, чем помещается на одной странице: откройте дом, чтобы увидеть "
                "его строки.")
DELETE_ROWS_CONFIRMATION = "Вы действительно хотите удалить выбранные строки файла?"


def upload_counts(kind_label: str, valid: int, wrong: int, unfilled: int = 0,
                  to_check: int = 0) -> str:
    """docs/spec.md §10: the manual's two numbers, then how many of the valid rows ask to be
    checked (§13.10) and how many of the wrong rows are meters simply not read."""
    text = f"{kind_label}: Верных – {grouped(valid)}"
    if to_check:
        text += f" (требуют проверки – {grouped(to_check)})"
    text += f", ошибок – {grouped(wrong)}"
    return f"{text}, из них не заполнено – {grouped(unfilled)}" if unfilled else text


def send_confirmation(valid: int, wrong: int) -> str:
    """docs/spec.md §11.1, with the numerals agreeing (§0): «… 5 верных и 21 ошибочная строка …»."""
    return (f"В загруженном файле {grouped(valid)} {plural(valid, 'верная', 'верных', 'верных')} и "
            f"{grouped(wrong)} {plural(wrong, 'ошибочная', 'ошибочных', 'ошибочных')} "
            f"{plural(wrong, 'строка', 'строки', 'строк')}. Показания будут "
            f"сохранены только по верным строкам. Продолжить сохранение показаний?")


def left_without_reading(wrong: int, unfilled: int) -> str:
    """docs/spec.md §11.1, after the question: the meters of the wrong rows stay without a
    reading, and how many of them were simply not read (§10)."""
    text = (f"Показания не будут переданы по {grouped(wrong)} "
            f"{plural(wrong, 'счетчику', 'счетчикам', 'счетчикам')}")
    return text + (f" (из них не заполнено – {grouped(unfilled)})." if unfilled else ".")


def _for_rows(n: int) -> str:
    """«для 1 строки», «для 2 строк», «для 21 строки» (genitive after «для»)."""
    return f"для {grouped(n)} {plural(n, 'строки', 'строк', 'строк')}"


def sent_individual(n: int) -> str:
    """docs/spec.md §11.1."""
    return f"Успешно отправлены показания {_for_rows(n)} по индивидуальным приборам учета"


def sent_common_house(n: int) -> str:
    """docs/spec.md §11.1."""
    return f"Успешно отправлены показания {_for_rows(n)} по общедомовым приборам учета"


def rows_deleted(n: int) -> str:
    return f"Удалено {grouped(n)} {plural(n, 'строка', 'строки', 'строк')} файла"


def grouped(n: int) -> str:
    """A count with its thousands apart, as Russian texts write them: 20224 -> «20 224» (a
    no-break space)."""
    return f"{n:,}".replace(",", "\u00a0")


def rows_selected(n: int) -> str:
    """docs/spec.md §11: the delete question's count."""
    return f"Выбрано: {grouped(n)} {plural(n, 'строка', 'строки', 'строк')}"


def rows_selected_everywhere(n: int) -> str:
    """docs/spec.md §11: the buffer's toolbar, «Выбрано: 20 000 строк на всех страницах»."""
    return f"{rows_selected(n)} на всех страницах"


def select_row_label(meter_number: str | None, apartment: str | None, row_number: int) -> str:
    """A buffer row's checkbox named by what it acts on (docs/spec.md §11): «Выбрать строку:
    счетчик 00215090, кв. 12»; a row with neither by its number in the file."""
    parts = [f"счетчик {meter_number}"] if meter_number else []
    parts += [f"кв. {apartment}"] if apartment else []
    return f"Выбрать строку: {', '.join(parts) or f'строка {row_number} файла'}"


def uploaded_before(uploaded_at, sent_at) -> str:
    """docs/spec.md §11: the same file (by content) was uploaded before."""
    when = f"{uploaded_at.astimezone(MOSCOW):%d.%m.%Y %H:%M}"
    if sent_at is None:
        return f"Этот файл уже загружался {when} и не был отправлен."
    return (f"Этот файл уже загружался {when}; показания из него были отправлены "
            f"{sent_at.astimezone(MOSCOW):%d.%m.%Y %H:%M}. Можно продолжить работу с ним.")


def buffer_replaces(file_name: str, sent: bool = False) -> str:
    """docs/spec.md §10: what a new upload replaces (a sent buffer's wrong rows, §11.1)."""
    if sent:
        return f"Оставшиеся ошибочные строки файла «{file_name}» будут заменены новым файлом."
    return f"Загруженный ранее и не отправленный файл «{file_name}» будет заменен новым файлом."


# --- manual entry (docs/spec.md §6–§8) ------------------------------------------------------------
MANUAL_REFUSED = "Показания не приняты"
CHOOSE_APARTMENT_METER = "В квартире несколько лицевых счетов или счетчиков. Выберите счетчик:"
NO_METERS_AT_APARTMENT = "В этой квартире нет счетчиков для передачи показаний"
NO_COMMON_HOUSE_METERS = "У этого дома нет общедомовых приборов учета"
NO_SUBMITTED_READINGS = "Действующих показаний, переданных вручную в этом периоде, нет"
DELETE_CONFIRMATION = "Вы действительно хотите удалить выбранное показание?"
CHOOSE_READING = "Выберите показание для удаления"
ONLY_THIS_SESSION = "Удалить можно только показания, переданные в текущем сеансе работы."
LAST_APARTMENT = "Это была последняя квартира дома"


def apartment_unknown(typed: str) -> str:
    """An apartment typed that the chosen house does not have (docs/spec.md §6)."""
    return f"Квартира: «{typed}» нет среди квартир этого дома. Введите номер из списка"


def manual_sent(meter_number: str, replaced: bool, note: str | None,
                not_read: str | None = None) -> str:
    """The success message of manual entry (docs/spec.md §6, §7), saying what else happened."""
    text = f"Показания по счетчику № {meter_number} успешно отправлены"
    if not_read:
        text = f"По счетчику № {meter_number} передано: показания не сняты ({not_read})"
    if replaced:
        text += ". Они заменили показания, переданные ранее в этом периоде"
    return f"{text}. {note}" if note else text


def already_submitted(current) -> str:
    """The meter card's line about a reading already submitted in the period."""
    return (f"В этом периоде уже переданы показания от {current.reading_date:%d.%m.%Y} "
            f"({CHANNEL_LABELS.get(current.channel, current.channel)}): "
            f"{submission_values(current)}. Новые показания заменят их.")


def submission_values(current) -> str:
    """A submitted reading's values, or «Не снято: <reason>» (docs/spec.md §13.11)."""
    if current.not_read:
        return not_read_text(current.not_read)
    return zone_values(current.values)


def submitted_on(today) -> str:
    """docs/spec.md §8's title: «Переданные показания на 20.03.2026»."""
    return f"Переданные показания на {today:%d.%m.%Y}"


# === administration (lkk_web/admin.py and the content it edits, content.py) =======================
SAVED = "Изменения сохранены"
NOTHING_CHANGED = "Изменений нет"
DATES_REVERSED = "Дата «С» позже даты «По»: ничего не найдено"
# The audit search's filters, as its form calls them.
FILTER_LABELS = {"organization": "Организация №", "meter": "№ счетчика",
                 "person": "Контактное лицо №", "from": "С", "to": "По"}


def filters_not_understood(names: list[str]) -> str:
    return ("Не распознаны условия поиска: " + ", ".join(f"«{n}»" for n in names)
            + " (числа; даты с 2000 по 2100 год). Они не учтены.")


# --- the cabinet's content (content.py) -----------------------------------------------------------
CONTENT_LABELS = {"contact_phone": "Телефон контакт-центра",
                  "login_text": "Текст на странице входа",
                  "main_text": "Текст на главной странице",
                  "recovery_text": "Текст на странице восстановления пароля",
                  "reception_url": "Ссылка на виртуальную приемную"}
CONTACT_PHONE_REQUIRED = "Укажите телефон контакт-центра"


def content_too_long(label: str, limit: int) -> str:
    return f"{label}: не более {limit} символов"


def content_not_a_url(label: str) -> str:
    return f"{label}: адрес вида https://…"


def announcement(number: int) -> str:
    """The n-th announcement, as the form's errors name it."""
    return f"Объявление {number}"


def announcement_too_long(number: int, limit: int) -> str:
    return f"{announcement(number)}: текст до {limit} символов"


def announcement_dates_unreadable(number: int) -> str:
    return f"{announcement(number)}: даты в виде ДД.ММ.ГГГГ"


def announcement_dates_reversed(number: int) -> str:
    return f"{announcement(number)}: первая дата позже последней"


def too_many_announcements(limit: int) -> str:
    return f"Не более {limit} объявлений"
