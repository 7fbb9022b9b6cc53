"""Questions that ask for a kind of answer an uncurated sentence gives: a place ("which city",
"quel quartier"), a size ("how big"), a date for a move whose ends the sentence names, a sum
that belongs to the person asked about, what someone told a publication, a fact told of "she" a sentence or two after her name,
and a name only a sentence naming someone can give."""

from __future__ import annotations

import shutil

import pytest

from bot.config import PROJECT_ROOT
from bot.core.answer import answer
from bot.core.build import build_store
from bot.core.retrieve import analyse, eligible, rank
from bot.core.store import Store

ENGLISH = """Nvidia hires an Apple infrastructure director

Nvidia hired Mara Quillon from Apple in October 2026. Quillon is based in Zurich and leads a team \
of about 60 engineers working on inference. Helix hired Nadia Ferrante from Microsoft this summer \
with a package reported at $32 million, and then spent two months courting Dara Okafor from OpenAI. \
Orchard Robotics plans to double its headcount, to about 140, by the end of 2028.
"""

FRENCH = """Mercato de l'IA : les mouvements de la semaine

Élodie Verrant, chercheuse chez Google DeepMind à Paris, rejoindra Calanque AI en mars 2027.
"""

PRONOUNS = """Lumio poaches a Google speech researcher

Lumio hired Tessa Brandvold from Google in May 2026. The move was announced on Tuesday. She will \
run a lab of 35 people in Oslo. Lumio said the hire was its largest. Her departure leaves Google's \
speech group under interim leadership.
"""

# Its publisher is named once, in the byline, five sentences before the quote asked about.
PUBLISHED = """Nordlys AI opens a speech lab in Oslo

By Ingrid Moe | The Fjord Ledger | June 2, 2026

Nordlys AI hired Sigrid Halvorsen from Google in May. The lab sits next to the university. It was \
built in a former printing works. Its first hires arrived in April. "We will train on forty \
languages," Halvorsen said by phone from Oslo.
"""
PUBLISHED_ENTRY = """  - file: 904_fjord.txt
    title: Nordlys AI opens a speech lab in Oslo
    language: en
    date: 2026-06-02
    publisher: The Fjord Ledger
    url: null
"""

REPLACED = """Vettel Labs fills its research chair

Vettel Labs named Ana Ruiz to replace Piet Kramer, who left for Anthropic in March 2026. Its chief \
executive, Jonas Brekke, raised $90 million in a Series A round in April. Brekke, a former \
Google engineer, co-founded Vettel Labs in 2021. Ruiz will be vice president of research.
"""

# A French question on an English article: "bureau parisien" is the Paris office, "levé" raised.
OFFICE = """Brightwave opens a Paris office

Brightwave hired Lucie Marand from Google to lead its new Paris office, which will have about 25 \
staff by June 2027. Brightwave raised $60 million in May 2026. Marand spent six years at Google.
"""

# What someone wrote, where someone went (a sentence that names the company), who a company is
# in talks with.
QUOTES = """Korvane hires a DeepMind planner

Korvane hired Ilse Marwick from Google DeepMind in August 2026. Marwick will start on Sept. 14 and \
be based in Lisbon. "I wanted to see models used by real people," she wrote in a post announcing the \
move. Teodor Lasko, a research engineer who spent five years at Meta in London, left Meta in July to \
join Mistral in Paris. Lasko is one of several engineers to depart since Meta reorganised its lab \
this year. Korvane is also in talks with Pavel Ostrik, an engineer at Nvidia.
"""

ROLES = """Korvane names a head of evaluation

Orsolya Vance, a senior researcher on Anthropic's interpretability team in London, joined Korvane \
last week as head of evaluation, the company said. The offer that Nvidia made this spring to Bram \
Keller, co-founder and chief scientist of Oslo-based Tessel AI, was worth $40 million over four \
years. Keller would have joined Nvidia as a principal scientist based in Santa Clara. Vance's \
package at Korvane is worth $12 million over three years. Vance, who spent six years at Anthropic, \
will report to the chief executive.
"""


# A sentence about "le chercheur" named in the sentence before, with a co-founder named after "avec";
# a company hiring someone, then who started it.
FOUNDED = """Fjellet AI : son cofondateur reste à Oslo

Henrik Solberg a refusé cet été une offre de Nvidia. Passé par Google à Zurich, qu'il a quitté en \
2022, le chercheur a cofondé Fjellet AI la même année avec Liv Aasen, aujourd'hui directrice \
générale.
"""

ORKLA = """Orkla Robotics hires from Meta

Orkla Robotics hired Mia Lund from Meta in May 2026. It was co-founded in 2021 by Erik Haug, a former \
Google researcher.
"""


# A round count ("une vingtaine de personnes"), and a sentence announcing the list that follows it.
LISTED = """Opinion: talent is rented, not bought

Brisa Labs ouvre un bureau à Lisbonne, qui devrait compter une vingtaine de personnes d'ici à \
l'été 2027. Brisa Labs a recruté Ana Sousa chez Google pour diriger son bureau de Porto. « Porto forme \
d'excellents ingénieurs », explique Ana Sousa. Le bureau devrait compter une trentaine de personnes d'ici à 2028. Two suggestions for the boards approving these grants. Tie the largest grants to years \
of service. Give every new hire a problem of their own. Recruiters disagree.
"""


# Why someone moved: the sentence giving the reason, not the one telling the move again.
REASONS = """Quarry AI hires a Google robotics team

When Quarry AI hired Nils Ekdahl's five-person team from Google in May 2027, it paid well. \
Ekdahl left Google in May 2027 and joined Quarry AI with four colleagues. Ekdahl said the \
decision came down to the test tracks. Nvidia offered Orla Vikstrom $30 million this spring. \
Vikstrom confirmed on Tuesday that she had turned the Nvidia offer down in \
early June.
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("kinds")
    shutil.copytree(PROJECT_ROOT / "seeds", root / "seeds")
    shutil.copytree(PROJECT_ROOT / "knowledge", root / "knowledge")
    (root / "seeds" / "901_quillon.txt").write_text(ENGLISH, encoding="utf-8")
    (root / "seeds" / "902_mercato.txt").write_text(FRENCH, encoding="utf-8")
    (root / "seeds" / "903_lumio.txt").write_text(PRONOUNS, encoding="utf-8")
    (root / "seeds" / "904_fjord.txt").write_text(PUBLISHED, encoding="utf-8")
    (root / "seeds" / "905_vettel.txt").write_text(REPLACED, encoding="utf-8")
    (root / "seeds" / "906_brightwave.txt").write_text(OFFICE, encoding="utf-8")
    (root / "seeds" / "907_korvane.txt").write_text(QUOTES, encoding="utf-8")
    (root / "seeds" / "908_vance.txt").write_text(ROLES, encoding="utf-8")
    (root / "seeds" / "909_fjellet.txt").write_text(FOUNDED, encoding="utf-8")
    (root / "seeds" / "910_orkla.txt").write_text(ORKLA, encoding="utf-8")
    (root / "seeds" / "911_brisa.txt").write_text(LISTED, encoding="utf-8")
    (root / "seeds" / "912_quarry.txt").write_text(REASONS, encoding="utf-8")
    with (root / "seeds" / "documents.yaml").open("a", encoding="utf-8") as listing:
        listing.write(PUBLISHED_ENTRY)
    build_store(root / "seeds", root / "knowledge", root / "store.sqlite")
    return Store.open(root / "store.sqlite")


@pytest.mark.parametrize(
    "question", ["Which city is Mara Quillon based in?", "Quillon bosse dans quelle ville ?"]
)
def test_which_city_leads_with_the_place(store: Store, question: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert ans.text.startswith("Zurich"), ans.text


def test_which_city_is_not_answered_by_a_sentence_naming_no_place(store: Store) -> None:
    # The seeds say whom Meta's lab recruits, never where it is.
    ans = answer(store, "In which city is Meta's Superintelligence Lab located?")
    assert not ans.answered, ans.text


def test_how_big_asks_for_a_size(store: Store) -> None:
    ans = answer(store, "How big is Quillon's team?")
    assert ans.answered, ans.text
    assert "60" in ans.text.split(".")[0], ans.text


def test_a_move_from_a_named_company_is_read_the_right_way_round(store: Store) -> None:
    # "chez Google DeepMind" is where she works now: the sentence does say when she joins Calanque.
    ans = answer(store, "when does elodie verrant from deepmind paris join calanque")
    assert ans.answered, ans.text
    assert "2027" in ans.text, ans.text


def test_a_sum_is_given_to_the_person_it_belongs_to(store: Store) -> None:
    ans = answer(store, "How much did Helix pay Nadia Ferrante?")
    assert ans.answered, ans.text
    assert ans.text.startswith("$32 million"), ans.text
    # The same sentence names Okafor, but the $32 million is Ferrante's package.
    other = answer(store, "How much was Helix offering Dara Okafor?")
    assert not (other.answered and "32" in other.text), other.text


def test_a_bare_number_after_headcount_is_a_head_count(store: Store) -> None:
    ans = answer(store, "How many employees is Orchard Robotics aiming for by the end of 2028?")
    assert ans.answered, ans.text
    assert ans.text.startswith("140"), ans.text


def test_a_sentence_about_she_is_about_the_person_named_just_before(store: Store) -> None:
    # "She will run a lab of 35 people" comes two sentences after Brandvold's name.
    ans = answer(store, "How many people will Tessa Brandvold lead?")
    assert ans.answered, ans.text
    assert "35" in ans.text.split(".")[0], ans.text


def test_asking_for_a_name_is_not_answered_by_a_sentence_naming_no_one(store: Store) -> None:
    # The article says Google's group is under interim leadership, never by whom.
    ans = answer(store, "What is the name of the interim leader of Google's speech group?")
    assert not ans.answered, ans.text


@pytest.mark.parametrize(
    "question",
    ["What did Halvorsen tell The Fjord Ledger by phone?", "Qu'a dit Sigrid Halvorsen au Fjord Ledger ?"],
)
def test_what_someone_told_a_publication_is_found_in_its_article(store: Store, question: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert "forty languages" in ans.text, ans.text
    # The quotation inside the quoted sentence takes the inner marks, never a stray '"'.
    assert '"' not in ans.text, ans.text
    assert ("‘We will" in ans.text) or ("“We will" in ans.text), ans.text


def test_a_job_question_finds_the_role_a_sentence_gives(store: Store) -> None:
    ans = answer(store, "What's Tessa Brandvold's new job?")
    assert ans.answered, ans.text
    assert "run a lab" in ans.text, ans.text


def test_a_sentence_about_a_thing_is_not_about_the_person_named_before_it(store: Store) -> None:
    # "It was built in a former printing works" follows Halvorsen's hire; her job is not given.
    ans = answer(store, "What is Sigrid Halvorsen's new job?")
    assert not ans.answered, ans.text


@pytest.mark.parametrize(
    "question",
    [
        "Ruoming Pang il bossait sur quoi chez la pomme avant de partir ?",
        "Pang travaillait sur quoi chez Apple ?",
    ],
)
def test_chez_after_a_word_of_working_is_the_employer_not_the_destination(
    store: Store, question: str
) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert "foundation models" in ans.text.split(":")[0], ans.text


def test_who_replaced_someone_is_answered_only_by_a_text_that_says_so(store: Store) -> None:
    ans = answer(store, "Who replaced Piet Kramer at Vettel Labs?")
    assert ans.answered, ans.text
    assert "Ana Ruiz" in ans.text, ans.text
    # The seeds give Pang's role at Apple, never who took it after him.
    ans = answer(store, "Who replaced Ruoming Pang as head of foundation models at Apple?")
    assert not ans.answered, ans.text


def test_where_someone_worked_before_a_company_needs_a_move_into_it(store: Store) -> None:
    # The seeds say Pang left Apple for Meta, never where he was before Apple.
    for question in ("Where did Ruoming Pang work before Apple?", "Pang travaillait où avant Apple ?"):
        ans = answer(store, question)
        assert not ans.answered, ans.text
    ans = answer(store, "Where did Mara Quillon work before Nvidia?")
    assert ans.answered, ans.text
    assert "Apple" in ans.text.split(".")[0], ans.text


def test_pay_at_the_company_left_is_not_the_new_package(store: Store) -> None:
    # Meta's $200 million is what Pang left Apple for; no report gives his Apple pay.
    for question in (
        "What was Ruoming Pang's salary at Apple before he left?",
        "Combien gagnait Pang chez Apple ?",
    ):
        ans = answer(store, question)
        assert not ans.answered, ans.text
    ans = answer(store, "How much did Meta offer Ruoming Pang?")
    assert ans.answered and "200" in ans.text, ans.text


def test_a_company_sum_is_not_the_pay_of_the_person_named_with_it(store: Store) -> None:
    ans = answer(store, "What is Jonas Brekke's salary?")
    assert not ans.answered, ans.text
    ans = answer(store, "How much did Vettel Labs raise?")
    assert ans.answered and "90" in ans.text, ans.text


def test_who_did_something_with_someone_asks_for_someone_else(store: Store) -> None:
    # The article says Brekke co-founded Vettel Labs, not with whom.
    ans = answer(store, "Who co-founded Vettel Labs alongside Jonas Brekke?")
    assert not ans.answered, ans.text


def test_ou_after_a_french_verb_asks_where(store: Store) -> None:
    ans = answer(store, "Ruoming Pang il bossait où avant Meta ?")
    assert ans.answered, ans.text
    assert "Apple" in ans.text.split(".")[0], ans.text


def test_ceo_is_the_chief_executive_and_is_answered_with_a_name(store: Store) -> None:
    ans = answer(store, "who's the ceo of vettel labs?")
    assert ans.answered, ans.text
    assert ans.text.startswith("Jonas Brekke"), ans.text
    # The seeds speak of "Apple's leadership", never of who runs Apple.
    ans = answer(store, "Who is Apple's CEO?")
    assert not ans.answered, ans.text


def test_a_title_question_finds_the_title(store: Store) -> None:
    ans = answer(store, "What is Ana Ruiz's new title?")
    assert ans.answered, ans.text
    assert "vice president of research" in ans.text, ans.text


def test_a_figure_belongs_to_the_person_of_its_own_clause(store: Store) -> None:
    # "…hired Nadia Ferrante … with a package reported at $32 million, and then spent two months
    # courting Dara Okafor": the two months are Okafor's, the $32 million Ferrante's.
    ans = answer(store, "How long did Helix spend courting Dara Okafor?")
    assert ans.answered, ans.text
    assert ans.text.startswith("Two months"), ans.text


@pytest.mark.parametrize(
    "question",
    ["Quel poste occupera Élodie Verrant chez Calanque AI ?", "What role will Verrant have at Calanque AI?"],
)
def test_a_role_at_another_company_is_not_the_role_asked_for(store: Store, question: str) -> None:
    # "Élodie Verrant, chercheuse chez Google DeepMind à Paris, rejoindra Calanque AI": her
    # role at Calanque is not given.
    ans = answer(store, question)
    assert not ans.answered, ans.text


def test_a_date_beside_a_person_is_theirs(store: Store) -> None:
    # "Un chercheur senior (Tom Gunter) a quitté le navire la semaine dernière" follows a
    # paragraph on Siri: it dates Gunter's exit, not a Siri launch.
    ans = answer(store, "when does the new siri come out")
    assert not ans.answered, ans.text


def test_a_lone_sentence_that_answers_is_not_declined(store: Store) -> None:
    ans = answer(store, "How long did Helix spend courting Okafor?")
    assert ans.answered, ans.text
    assert ans.text.startswith("Two months"), ans.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Élodie Verrant rejoint Calanque AI à quelle date environ ?", "mars 2027"),
        ("Vettel Labs raised how much, approximately?", "90"),
    ],
)
def test_function_words_are_not_the_thing_asked_for(store: Store, question: str, expected: str) -> None:
    # "environ", "approximately": no article needs to contain them for the question to be answered.
    ans = answer(store, question)
    assert ans.answered and expected in ans.text, ans.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Qui dirige le bureau parisien de Brightwave ?", "Lucie Marand"),
        ("Combien Vettel Labs a-t-elle levé ?", "90"),
    ],
)
def test_a_french_question_finds_the_english_words_for_it(store: Store, question: str, expected: str) -> None:
    ans = answer(store, question)
    assert ans.answered and expected in ans.text, ans.text


def test_the_place_a_question_names_is_not_the_place_it_asks_for(store: Store) -> None:
    # The article gives Oslo, not where in Oslo.
    ans = answer(store, "Dans quel quartier d'Oslo se trouve le labo de Nordlys AI ?")
    assert not ans.answered, ans.text


def test_a_title_elsewhere_is_not_the_title_asked_for_unless_asked_before(store: Store) -> None:
    # "Alexandr Wang est le fondateur de Scale AI et un expert reconnu ; Meta l'a recruté…"
    ans = answer(store, "Alexandr Wang a quel titre précis chez Meta ?")
    assert not ans.answered, ans.text
    ans = answer(store, "c'était quoi le poste d'alexandr wang avant meta")
    assert ans.answered and "Scale AI" in ans.text, ans.text


@pytest.mark.parametrize("question", ["When did Alexandr Wang found Scale AI?", "When was Scale AI founded?"])
def test_the_date_of_a_move_is_not_the_date_of_a_founding(store: Store, question: str) -> None:
    # "Alexandr Wang, founder of Scale AI, joined Meta in June 2025": June 2025 is his move.
    ans = answer(store, question)
    assert not ans.answered, ans.text
    ans = answer(store, "When was Vettel Labs founded?")
    assert ans.answered and "2021" in ans.text, ans.text


def test_who_led_a_round_needs_a_sentence_naming_someone_else(store: Store) -> None:
    # "Brightwave raised $60 million in May 2026" names no investor; the sentence before names Marand.
    ans = answer(store, "Who led Brightwave's $60 million round?")
    assert not ans.answered, ans.text


def test_a_duration_is_no_answer_to_what_year(store: Store) -> None:
    # "Marand spent six years at Google": how long, not when.
    ans = answer(store, "En quelle année Lucie Marand est-elle arrivée chez Google ?")
    assert not ans.answered, ans.text
    ans = answer(store, "How long was Lucie Marand at Google?")
    assert ans.answered and "six years" in ans.text, ans.text


def test_a_date_in_a_sentence_not_about_the_person_is_not_theirs(store: Store) -> None:
    # "Brightwave raised $60 million in May 2026." follows the sentence on Marand: May 2026 is
    # Brightwave's raise, not when she joined anyone.
    ans = answer(store, "When did Lucie Marand join Google?")
    assert not ans.answered, ans.text


@pytest.mark.parametrize(
    "question",
    [
        "What did Marwick write when she announced her move?",
        "Qu'a écrit Ilse Marwick pour annoncer son départ ?",
    ],
)
def test_what_someone_wrote_is_answered_by_their_words(store: Store, question: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert "real people" in ans.text, ans.text


@pytest.mark.parametrize(
    "question", ["Teodor Lasko left Meta for which company?", "Where did Lasko end up after Meta?"]
)
def test_where_someone_went_is_a_sentence_naming_the_company(store: Store, question: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert "Mistral" in ans.text.split("\n")[0], ans.text
    assert "several engineers" not in ans.text, ans.text


def test_which_engineer_over_a_company_name_leads_with_the_name(store: Store) -> None:
    ans = answer(store, "Which Nvidia engineer is Korvane in talks with?")
    assert ans.answered, ans.text
    assert ans.text.startswith("Pavel Ostrik"), ans.text


def test_a_post_question_is_answered_with_the_title_held_at_the_company_asked(store: Store) -> None:
    ans = answer(store, "What's Vance's job at Korvane?")
    assert ans.answered, ans.text
    assert ans.text.startswith("Head of evaluation"), ans.text  # not her Anthropic title
    fr = answer(store, "Quel poste Orsolya Vance a-t-elle pris chez Korvane ?")
    assert fr.answered, fr.text
    assert "head of evaluation" in fr.citations[0].quote


def test_a_title_at_another_company_does_not_answer_a_role_question(store: Store) -> None:
    ans = answer(store, "What role would Bram Keller have had at Nvidia?")
    assert ans.answered, ans.text
    assert ans.text.startswith("Principal scientist"), ans.text  # not "co-founder" of Tessel AI
    assert "Tessel" not in ans.citations[0].quote


@pytest.mark.parametrize(
    "question",
    [
        "How many years did Orsolya Vance spend at Anthropic?",
        "Vance est restée combien de temps chez Anthropic ?",
    ],
)
def test_how_long_at_a_company_is_the_time_told_of_that_company(store: Store, question: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert "six years" in ans.citations[0].quote, ans.text  # not her contract's three years at Korvane


@pytest.mark.parametrize(
    "question", ["En quelle année Solberg a quitté Google ?", "when did henrik solberg leave google"]
)
def test_a_sentence_about_the_researcher_named_before_answers_of_him(store: Store, question: str) -> None:
    # "le chercheur ... avec Liv Aasen": naming his co-founder does not make it a sentence about her alone
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert "2022" in ans.text, ans.text


@pytest.mark.parametrize(
    "question", ["Avec qui Solberg a monté Fjellet AI ?", "who did solberg found fjellet ai with?"]
)
def test_with_whom_asks_for_the_other_founder(store: Store, question: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert ans.text.startswith("Liv Aasen"), ans.text


@pytest.mark.parametrize("question", ["who started Orkla Robotics?", "Qui a lancé Orkla Robotics ?"])
def test_who_started_a_company_asks_who_founded_it(store: Store, question: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert ans.text.startswith("Erik Haug"), ans.text  # not Mia Lund, whom it hired


@pytest.mark.parametrize(
    "question",
    [
        "Combien de personnes au bureau de Brisa Labs à Lisbonne ?",
        "how many people will brisa labs' lisbon office have",
    ],
)
def test_a_round_count_answers_how_many(store: Store, question: str) -> None:
    ans = answer(store, question)
    assert ans.answered, ans.text
    assert "vingtaine de personnes" in ans.text, ans.text


def test_an_announced_list_is_answered_with_its_items(store: Store) -> None:
    ans = answer(store, "What does the op-ed recommend to the boards approving grants?")
    assert ans.answered, ans.text
    assert "years of service" in ans.text and "problem of their own" in ans.text, ans.text
    assert "Recruiters disagree" not in ans.text  # two suggestions announced, two quoted
    assert all(c.quote in LISTED.replace("\\\n", "").replace("\n", " ") for c in ans.citations)


def test_an_office_size_after_its_heads_hire_is_the_offices(store: Store) -> None:
    # "Le bureau devrait compter une trentaine de personnes" follows Ana Sousa's hire: it speaks
    # of no one, so its count is the office's, not hers
    ans = answer(store, "Combien de personnes au bureau de Brisa Labs à Porto d'ici 2028 ?")
    assert ans.answered, ans.text
    assert ans.text.startswith("Une trentaine de personnes"), ans.text


@pytest.mark.parametrize(
    "question", ["Why did Ekdahl choose Quarry AI?", "Pourquoi Ekdahl a choisi Quarry AI ?"]
)
def test_why_prefers_the_sentence_giving_a_reason(store: Store, question: str) -> None:
    # the decision may still decline a sentence this far from the question's words; if anything
    # answers, it is the reason, not the move told again
    query = analyse(store, question)
    best = next(s for s in rank(store, query, limit=5) if eligible(query, s))
    assert "test tracks" in next(iter(best.item.text.values()))
    ans = answer(store, question)
    assert not ans.answered or "test tracks" in ans.citations[0].quote, ans.text


@pytest.mark.parametrize(
    "question", ["Quand Vikstrom a-t-elle dit non à Nvidia ?", "when did vikstrom reject nvidia"]
)
def test_saying_no_is_turning_an_offer_down(store: Store, question: str) -> None:
    query = analyse(store, question)
    best = next(s for s in rank(store, query, limit=5) if eligible(query, s))
    assert "turned the Nvidia offer down" in next(iter(best.item.text.values()))  # not the offer itself
    ans = answer(store, question)
    assert not ans.answered or "turned the Nvidia offer down" in ans.citations[0].quote, ans.text
