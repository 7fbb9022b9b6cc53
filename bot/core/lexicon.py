"""The words of the domain: what a question asks for, which words mean the same thing in
English and French, and which words carry no content.

Matching goes through `term_keys()`: a folded token becomes a concept id when the lexicon knows
it (so "salary", "salaire" and "rémunération" all match), otherwise its English and French
Snowball stems (so "recruits" matches "recruit"). Kept as data so a curator can read and extend it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from wordfreq import zipf_frequency

from .text import tokens

# Concepts: every word in a group matches every other, across languages.
# The concept every dated item is found under, whether its date is a word ("July") or not ("2019").
WHEN_KEY = "WHEN"

CONCEPTS: dict[str, str] = {
    "PAY": (
        "pay paid pays paying salary salaries wage wages compensation comp package packages money cash "
        "earn earns earned earning make makes offer offers offered paycheck remuneration payout "
        "bonus bonuses dollars dollar million millions throw threw tc "
        "salaire salaires remuneration remunerations paye payer payes paie paient payee gagne gagner gagnent touche toucher "
        "touché offre offres offert offerte proposee propose proposer enveloppe prime primes argent "
        "montant montants chiffre chiffres dollars cheque millions salarial salariale"
    ),
    "HIRE": (
        "hire hired hires hiring recruit recruited recruits recruiting recruitment poach poached poaching "
        "sign signed join joined joins joining onboard snag snagged grab grabbed lure lured acquire "
        "start started starts starting begin began commence commencer arrival arrivals target targets "
        "targeted targeting cible cibler cibles ciblee "
        "recruter recrute recrutes recrutee recrutement recrutements embaucher embauche embauches debaucher "
        "debauche rejoindre rejoint rejoins arrivee arrive attire attirer recrue recrues aspirateur piocher "
        "signe signer signature pris prend prendre"
    ),
    "LEAVE": (
        "leave left leaves leaving quit quits quitting depart departed departure departures exit exits "
        "exodus gone go going went goes heading headed move moved moves moving jump jumped switch switched lose losing lost "
        "drain flee fleeing "
        "quitter quitte quittent quittes partir parti partis partie depart departs filer file fuite "
        "perdre perd perte passage transfert transferts mouvement mouvements"
    ),
    "WHEN": "when date dates time year month quand date dates annee mois duration duree periode period january february march april may "
    "june july august september october november december janvier fevrier mars avril mai juin juillet aout "
    "septembre octobre novembre decembre",
    "TECH": "tech technology technologies techno technologie technologies technologique technologiques",
    "COMPANY": "company companies firm firms startup startups business boite boites entreprise entreprises societe firme",
    "TEAM": "team teams group squad equipe equipes groupe",
    "SOUGHT": "sought soughtafter demand demanded coveted popular hottest prized "
    "recherchee recherchees prisee prisees convoite convoites arrache arrachent cherche cherchent chercher "
    "seek seeks seeking look looking",
    "SIGNAL": "signal signals signify represent represents symbol symbolise symbolize embody embodies illustrate "
    "illustrates represente representent symbolise incarne incarnent illustre illustrent",
    "WORK": "work works worked working job jobs travail travailler travaille bosser bosse boulot",
    "IMPACT": "impact impacts affect affects affected effect effects consequence consequences change changes "
    "impact impacts consequence consequences effet effets change changer bouleverse",
    "LAB": "lab labs laboratory laboratories unit laboratoire laboratoires labo unite pole",
    "STRATEGY": (
        "strategy strategies plan plans approach approaches tactic tactics policy playbook "
        "strategie strategies approche approches plan politique tactique lever levers levier leviers"
    ),
    "RESEARCHER": (
        "researcher researchers scientist scientists engineer engineers expert experts talent talents "
        "profile profiles specialist specialists "
        "chercheur chercheurs chercheuse scientifique scientifiques ingenieur ingenieurs expert experts "
        "talent talents profil profils specialiste specialistes"
    ),
    "ROLE": (
        "role roles job position title mission head heads lead led leader leading leads run ran running runs "
        "manage managed manages boss chief oversee oversees oversaw president vp director directors "
        "poste role mission dirige diriger dirigeait chef responsable tete pilote piloter supervise "
        "presidente directeur directrice directeurs titre titres fonction fonctions officer officers "
        "occupe occuper occupait occupera occupent"
    ),
    "STAFF": (
        "people staff employees employee headcount workforce personnel "
        "personnes salaries salariees employes employees effectif effectifs emploie employer"
    ),
    "FOUNDER": "founder founders founded found founding cofounder cofounders cofounded create created creation "
    "fondateur fondateurs fonde fondee fonda fondatrice cofondateur cofondatrice cofonde cofondee creer cree "
    "creee creation",
    # Raising money and what investors make of a company, in both languages.
    "FUNDING": "raise raised raises raising round rounds funding fundraise fundraising financing investor "
    "investors lever leve levee levees levait tour financement financements investisseur investisseurs",
    "VALUATION": "valuation valuations valued valorisation valorisations valorisee valorise valo",
    "OFFICE": "office offices bureau bureaux hub",
    # "la masse salariale" is the payroll (and "salariale" is also pay: "la surenchère salariale").
    "PAYROLL": "payroll payrolls salarial salariale",
    "SPECIALTY": "specialty specialties speciality specialite specialites specialise specialised specialized "
    "specialiste specialistes specialist specialists expertise",
    # Cities and countries whose names differ between English and French.
    "LONDON": "london londres londonien londonienne londoniens",
    "GENEVA": "geneva geneve genevois",
    "BEIJING": "beijing pekin",
    "SINGAPORE": "singapore singapour",
    "CALIFORNIA": "california californie californien californienne",
    "AMERICA": "america american americans amerique americain americaine americains americaines",
    "OUTSOURCE": (
        "outsource outsourcing outsourced external third thirdparty externalize externalise "
        "externaliser externalisation externe externes tiers"
    ),
    "MODEL": "model models modele modeles",
    "COMMENT": "comment comments commented respond responded response statement say said says commentaire "
    "commentaires repondu reponse dit dire declare declaration",
    "REACT": "react reacted reacts reaction reagi reagir reagit reaction bouge bouger agir",
    "MARGIN": "margin margins profit profits marge marges",
    "INVEST": "invest invests invested investing investment investments spend spending "
    "investir investit investissement investissements depenses depenser",
    "RETAIN": "retain retention keep keeping loyalty loyal hold fideliser fidelite garder retenir conserver",
    "SUPERINTELLIGENCE": "superintelligence superintelligent asi superintelligences",
    "AI": "ai ia",
    "DEFINITION": "definition define means mean meaning definir signifie signification designe",
    "ADVICE": "advice advise advises advised recommend recommends recommended recommendation recommendations "
    "suggest suggests suggested suggestion suggestions tip tips conseil conseils conseille conseiller "
    "recommande recommander recommandation recommandations preconise preconiser suggere suggerer",
    # Turning an offer down ("turned down", "said no", "a dit non" are phrases: PHRASAL_CONCEPTS, SLANG);
    # "did he accept?" is answered by "he turned it down", so accepting is the same decision.
    "REFUSE": "accept accepted accepts accepting accepte accepter acceptee acceptent "
    "refuse refused refuses refusing refusal refusals decline declined declines declining reject "
    "rejected rejects rejecting rebuff rebuffed spurn spurned snub snubbed refuser refusee refusent refus "
    "decliner declinee declinent rejete rejeter rejetee",
    "CONSIDER": "consider considered considering thinking envisage envisager envisagé",
    "WEEK": "week weeks semaine semaines",
    "FRAMEWORK": "framework frameworks library",
    "OPEN": "open opensource",
    "TRAIN": "train training trained entrainer entrainement",
    "YEARS": "year years ans annees",
    "FOUR": "four quatre 4",
    "TEN": "ten dix 10",
    "RATING": "rating ratings",
    "SENIOR": "senior seniors",
    # "CEO" is how a chat says "chief executive" (whose "chief" is also a role word)
    "CEO": "ceo ceos pdg executive executives",
    # "Who replaced X?" is answered only by a text that says someone replaced them.
    "REPLACE": "replace replaced replaces replacing replacement successor succeed succeeded succeeds "
    "remplacer remplace remplacee remplacent remplacant remplacante remplacement successeur succede succeder",
}

# A city's adjective names the city: "le bureau parisien" is the Paris office. (Paris is not a
# concept: its French stem is that of "paris", bets.)
PLACE_ADJECTIVES = {
    "parisien": "paris",
    "parisienne": "paris",
    "parisiens": "paris",
    "parisiennes": "paris",
    "zurichois": "zurich",
    "berlinois": "berlin",
    "new-yorkais": "new york",
    "new-yorkaise": "new york",
}

# Chat shorthand, rewritten before anything else so "pk" asks "why" like "pourquoi" does.
SLANG = {
    "wat": "what",
    "wut": "what",
    "wht": "what",
    "ppl": "people",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pkoi": "pourquoi",
    "pcq": "parce",
    "qd": "quand",
    "cb": "combien",
    "cmb": "combien",
    "bc": "because",
    "cuz": "because",
    "w": "with",
    "abt": "about",
    "pls": "please",
    "thx": "thanks",
    "yrs": "years",
    "yr": "year",
    "mins": "minutes",
    "op-ed": "editorial",
    "op-eds": "editorial",
    "turned down": "refused",
    "turn down": "refuse",
    "turns down": "refuses",
    "turning down": "refusing",
    "said no": "refused",
    "say no": "refuse",
    "dit non": "refuse",
    "dire non": "refuser",
    # A company's board, not advice ("conseils" alone is advice)
    "conseils d'administration": "boards",
    "conseil d'administration": "board",
    "conseils d'admin": "boards",
    # "est entré chez DeepMind": joined ("entre" alone is "between")
    "entre chez": "rejoint",
    # "where did Ota end up after Meta?": where he went
    "end up": "join",
    "ended up": "joined",
    "ends up": "joins",
    "wound up": "joined",
    "landed at": "joined at",
    "atterri chez": "rejoint",
    "entree chez": "rejoint",
    # "a-t-elle pris ses fonctions chez Helix": when she joined, not what her post is
    "pris ses fonctions": "rejoint",
    "prendre ses fonctions": "rejoindre",
    "prendra ses fonctions": "rejoindra",
    "prend ses fonctions": "rejoint",
    "prise de fonctions": "arrivee",
    "prise de fonction": "arrivee",
    "entrer chez": "rejoindre",
    "inge": "ingenieur",
    "inges": "ingenieurs",
    "du coup": "donc",  # "so", a filler: not what is asked
}

# A size ("how big a team", "how big was the package", "quelle taille") is a head count or an
# amount: either kind of answer fits.
SIZE_PHRASES = ("how big", "how large", "what size", "quelle taille")

# Words by which a sentence that names no one speaks of a person or of their move ("She will
# run a lab", "le chercheur a cofondé…", "that figure understated the offer by $30 million");
# "It was built in a former printing works" speaks of a thing.
PERSON_PRONOUNS = frozenset(
    """he she him his her hers himself herself they them their both
    il elle lui ils elles leur leurs chercheur chercheuse ingenieur ingenieure cofondateur cofondatrice
    researcher engineer executive
    offer offre proposition hire recrutement departure depart arrival arrivee move deal contract contrat
    package enveloppe talks negotiations discussions""".split()
)

# French possessives stand for a person as often as for a thing ("Sa rémunération annuelle est
# estimée à 1,5 million" follows the sentence naming her): a sentence using one may be about the
# person named just before it.
FRENCH_POSSESSIVES = frozenset("sa son ses".split())

# Asking for a name ("what's their name", "son nom"): only a sentence that itself names someone
# answers it ("the group is under interim leadership" says who leads it, but not their name).
NAME_PHRASES = (
    "name of the person",
    "name of the researcher",
    "their name",
    "his name",
    "her name",
    "whats the name",
    "what's the name",
    "what is the name",
    "son nom",
    "leur nom",
    "quel est le nom",
    "nom de la personne",
)

# A kind of place ("which city", "quel quartier") is what "where" asks for, not a word the
# answer must contain; the answer must name a place, not an employer.
PLACE_PHRASES = (
    "which city",
    "what city",
    "quelle ville",
    "which country",
    "what country",
    "quel pays",
    "which neighbourhood",
    "which neighborhood",
    "what neighborhood",
    "what neighbourhood",
    "quel quartier",
    "arrondissement",
    "which area",
    "what area",
    "which district",
    "what district",
    "quel coin de",
)

# Verbs by which a question asks for what someone said or wrote ("What did Raman write?",
# "Qu'a dit Marchal à L'Octet ?"): only a sentence reporting speech answers it. Folded forms.
SAY_WORDS = frozenset(
    """say said says saying tell told tells write wrote written writes declare declared state
    stated statement quote quoted justify justified commented explain explained
    dit dire dis disent declare declaree ecrit ecrite confie repondu raconte affirme ajoute
    explique justifie commente""".split()
)
# "said no", "a dit non": a refusal, not a quotation.
SAY_REFUSALS = frozenset("no yes non oui".split())
# "ça veut dire quoi": what a word means, not what someone said.
MEANING_BEFORE = frozenset("veut veux voulait veulent voudrait".split())
# What marks a sentence as reporting speech: quotation marks, or a verb of saying.
SPEECH_MARKS = frozenset('"\u201c\u201d\u00ab\u00bb')
SPEECH_VERBS = frozenset(
    """said says say told tells wrote writes write according statement added describe describes
    described argued argues noted recalled comment commented comments responded replied
    dit declare confie ecrit explique affirme ajoute selon estime raconte commente repondu""".split()
)

# "which Nvidia engineer", "quel chercheur de DeepMind": a "which" over a person noun asks who;
# "which engineer profiles" asks what kind of profile.
PERSON_NOUNS = frozenset(
    """researcher researchers engineer engineers scientist scientists executive executives person
    people exec execs chercheur chercheurs chercheuse chercheuses ingenieur ingenieurs ingenieure
    scientifique scientifiques dirigeant dirigeants dirigeante personne personnes""".split()
)
# Nouns by which a "what"/"quel" question asks for a job ("what was his actual job").
ROLE_NOUNS = frozenset("job jobs poste postes position role roles title titre fonction fonctions".split())
# "job hopping", "job offers": a role noun that names something else.
ROLE_COMPOUNDS = frozenset(
    """hopping hop mobility market markets offer offers cuts losses changes switching security seekers
    hunting hunt openings""".split()
)
# Verbs of holding a post: in "quel poste a-t-elle pris", "what job did he take" they say
# nothing the answer must also say.
ROLE_VERBS = frozenset(
    """pris prend prendre prendra prenait occupe occupait occuper occupera occupent held hold holds
    holding take took taken takes taking""".split()
)
# Verbs of staying somewhere: in "how many years did she spend at MSR", "combien de temps est-il
# resté" they ask for a duration, which the sentence may give with any verb ("nine years at").
TENURE_VERBS = frozenset(
    """spend spent spends spending stay stayed stays staying last lasted reste restee restes restees
    rester tenu tenir passe passee""".split()
)
# "le titre de l'article", "the headline's title": a document's title, not a person's.
DOCUMENT_NOUNS = frozenset(
    """article articles headline headlines story piece post blog column op oped tribune edito
    intertitre papier chapo""".split()
)
KIND_NOUNS = frozenset("profile profiles profil profils type types kind kinds sort role roles".split())

# Words that only say what kind of answer is wanted.
INTENTS: dict[str, tuple[str, ...]] = {
    "how_much": ("how much", "combien", "what package", "quel salaire", "quel montant"),
    "how_many": (
        "how many",
        "combien de",
        "combien d'",
        "headcount",
        "effectif",
        "effectifs",
    ),
    "when": (
        "when",
        "quand",
        "what date",
        "quelle date",
        "en quelle annee",
        "what year",
        "since when",
        "depuis quand",
        "quel jour",
        "which day",
        "what day",
        "quelle annee",
        "which year",
        "which month",
        "what month",
        "quel mois",
    ),
    # A length of time, not a date: it also asks "when" (retrieve._intents adds it), but only a
    # duration answers it ("over how many years?" is not answered by "in July 2025").
    "how_long": (
        "how long",
        "combien de temps",
        "combien d'annees",
        "combien d annees",
        "how many years",
        "how many months",
        "how many weeks",
        "how many days",
        "combien de mois",
        "combien de semaines",
        "combien de jours",
        "pendant combien",
        "depuis combien",
    ),
    "who": (
        "who",
        "qui",
        "whom",
        "whose",
        "which researcher",
        "which researchers",
        "which engineer",
        "which engineers",
        "which person",
        "which people",
        "quel chercheur",
        "quels chercheurs",
        "quelle chercheuse",
        "quel ingenieur",
        "quels ingenieurs",
    ),
    "where": (
        "where",
        "ou est",
        "ou va",
        "ou a",
        "ou travaille",
        # "il bossait où avant ?": the question word after the verb (folded "où" is "ou")
        "bossait ou",
        "bosse ou",
        "bossent ou",
        "travaillait ou",
        "travaille ou",
        "travaillent ou",
        "va ou",
        "est parti ou",
        "est partie ou",
        "which company",
        "quelle entreprise",
        "pour qui",
        *(p for p in PLACE_PHRASES if p != "arrondissement"),
    ),
    "why": ("why", "pourquoi", "reason", "raison", "how come"),
    # A job or title: "quel poste", "what role would he have had", "what is she in charge of".
    "role": (
        "quel poste",
        "quelle poste",
        "son poste",
        "le poste de",
        "quelle fonction",
        "quel role",
        "son role",
        "quel titre",
        "son titre",
        "what job",
        "what role",
        "what position",
        "which position",
        "which role",
        "what title",
        "job title",
        "his job",
        "her job",
        "their job",
        "his role",
        "her role",
        "new role",
        "new job",
        "previous position",
        "s title",
        "s job",
        "s role",
        "in charge of",
        "responsable de quoi",
    ),
    "what": (
        "what is",
        "what are",
        "whats",
        "what's",
        "c'est quoi",
        "c est quoi",
        "qu'est-ce",
        "quest ce",
        "define",
        "definition",
        "sert a quoi",
        "a quoi sert",
        "what for",
        "what does",
    ),
    "how": ("how", "comment"),
    "list": (
        "list",
        "liste",
        "recent moves",
        "who moved",
        "transfers",
        "all the",
        "tous les",
        "toutes les",
        "latest",
        "derniers",
        "dernieres",
    ),
    "yes_no": (
        "did",
        "does",
        "do",
        "is",
        "are",
        "will",
        "was",
        "were",
        "has",
        "have",
        "can",
        "est-ce",
        "a-t-il",
        "a-t-elle",
    ),
}

STOPWORDS = frozenset(
    """a about above after again all also am an and any anyone anything are aren as at be been before being
    but by can could did didn do does doesn doing don down during each else ever few for from further get
    gets getting give got had has have having he her here hers herself him himself his how i if in into is
    isn it its itself just know let like me more most much must my myself no nor not now of off on once only
    or other our ours out over own really same   she should so some such tell than that thats the
    their theirs them then there these they this those through to too under until up us very was wasn we
    were what whats when where which while who whom whose why will with won would you your yours yo lol
    lmm lmao pls please hey hi hello ok okay bro guys anyone someone wondering curious actually know
    rn tho btw idk u ur r im exactly currently people thanks because parce
    ptdr mdr lmfao xd jsp jpp nah yeah yep ouais vrai oklm tbh ngl gonna wanna gotta kinda sorta really actually might maybe
    after before since during between against within without via per
    perhaps still even ever basically pursue pursuing pursued poursuivre poursuit literally seriously truly guess think thought yeah yes nope
    happen happens happened happening thing things stuff
    au aux avec c ca ce ceci cela celle ces cet cette chez combien comme d dans de des du elle elles
    en encore est et etait etaient ete etre eu fait faire il ils j je l la le les leur leurs lui m ma mais me
    meme mes moi mon n ne ni nos notre nous on ont ou par pas peu peut plus pour pourquoi qu quand que quel
    quelle quelles quels qui quoi s sa sans se ses si son sont sur t ta te tes toi ton tu un une vers vos
    votre vous y a-t-il est-ce   donne savoir sait salut svp stp bonjour merci quest t il elle va
    avait avoir ai as avons avez eu sera serait etre vraiment genre truc trucs bref enfin bah ben
    aura auront auraient seront seraient avaient fera feront ferait feraient allait allaient suis sommes etes
    apres avant depuis pendant entre contre selon parmi durant jusqu jusque faisait faisaient font fais
    mis mettre met mettent autant tant tellement
    quoi cest est-ce-que serait aurait peut-etre toujours encore sert servent servait servaient servir
    vont deja aussi alors donc
    juste concretement exactement finalement besides roughly
    although though however whether either neither every another whatever whenever wherever whoever
    anyway anyways among amongst across along upon onto toward towards beside beyond throughout
    instead rather quite pretty somewhat lot lots bit kind right presently around approximately nearly
    almost
    lors lorsque ainsi puis car tres trop beaucoup chaque tout tous toute toutes autre autres memes
    ceux celui celles dont ici afin lequel laquelle lesquels auquel duquel fut actuellement environ
    """.split()
)

# Words pointing at a source rather than at the answer ("per the Pang article", "dans le premier
# article", "the headline of the second piece"): retrieval reads them as neither content nor a
# name it must cover (retrieve._source_reference).
SOURCE_NOUNS = frozenset(
    # not "titre": a job title too
    "article articles piece story papier summary resume headline headlines chapo edito editorial column "
    "chronique tribune".split()
)
SOURCE_DETERMINERS = frozenset(
    """the this that first second third 1st 2nd last other le la l les ce cet cette premier premiere
    deuxieme second seconde troisieme dernier derniere autre""".split()
)
SOURCE_LEADS = frozenset("in per according to from dans selon d apres of du de des".split())
SOURCE_TOPIC_LINKS = frozenset("sur about on de du des l la le les".split())

# In a question about a move, the word just before a company says which end of the move it is:
# "left Apple for Meta", "move to OpenAI", "partie de Meta chez Anthropic".
DESTINATION_WORDS = frozenset(
    "to for into towards toward join joined joins joining chez vers pour rejoindre rejoint rejoins rejoigne".split()
)
# Words after which a sum is a company's money, not a person's pay (owners.py).
COMPANY_MONEY_WORDS = frozenset(
    """funding raised raise raises round valuation valued revenue revenues payroll investors
    series serie levee leve levait levees valorisation valorisee chiffre affaires financement""".split()
)
# "Who co-founded Helix with Feld?", "besides Feld", "à part Feld": someone else is asked for.
COMPANION_WORDS = frozenset("with alongside besides beside than avec part".split())
# Words that give a reason or a motive: a "why" question is answered by a sentence using one.
REASON_PHRASES = tuple(
    " ".join(p.split())
    for p in """because, since, due to, owing to, thanks to, reason, reasons, so that, in order to, came down
    to, comes down to, less about, more about, rather than, instead of, drawn by, attracted by, lured by,
    motivated, want, wants, wanted, to be closer, to work on, explains, explained, why, driven by, the
    chance to, the opportunity, appeal, prefer, preferred, chose, choose, decided, decision, allow, allows,
    lets, parce que, parce qu, car, en raison, grace a, a cause, afin de, pour que, raison, raisons,
    motive, motivation, attire, attiree, attires, seduit, seduite, plutot que, au lieu de, veut, voulait,
    voulons, veulent, souhaite, explique, expliquent, s'explique, pourquoi, prefere, choisi, choix, decide,
    permet, permettre, tient a, tiennent a, faute de, puisque""".split(",")
)

# The parts of a pay package a question may ask about: an item answers only if it names the part.
PAY_PARTS: dict[str, frozenset[str]] = {
    "SIGNING": frozenset("signing signon signature".split()),
    "BASE": frozenset("base".split()),
    "EQUITY": frozenset("equity stock stocks shares rsu rsus actions".split()),
    "RETENTION": frozenset("retention fidelisation".split()),
}
# A part is asked only beside one of these words: "signing bonus", "salaire de base" (not "signing
# with Helix", "basée où").
PAY_PART_CUES: dict[str, frozenset[str]] = {
    "SIGNING": frozenset("bonus bonuses prime primes".split()),
    "BASE": frozenset("salary salaire pay paye".split()),
}

# Who wrote an article: "who wrote the op-ed", "la journaliste de L'Octet" (bylines.py).
AUTHOR_WORDS = frozenset(
    """wrote write writes written writer writers author authors byline reporter reporters journalist
    journalists columnist columnists auteur auteure autrice auteurs ecrit ecrite ecrire redige redigee
    journaliste journalistes chroniqueur chroniqueuse editorialiste""".split()
)
# Signing is writing only of an article ("qui signe la tribune"), not of a contract or a cheque.
SIGN_WORDS = frozenset("sign signs signed signe signee signent".split())
# After these the person named acts with the sentence's subject, who may be named in the sentence
# before: "le chercheur a cofondé Calanque AI avec Camille Besson".
CO_ACTOR_WORDS = frozenset("with alongside avec aupres".split())
# Verbs that found a company when their object is one: "who started Helix", "qui a monté Calanque".
FOUNDING_VERBS = frozenset(
    "start started starts starting launch launched launches set sets lance lancee lancer monte montee monter".split()
)
VERB_PARTICLES = frozenset({"up"})  # "set up Helix"
# "How much did Pang make at Apple?", "son salaire chez Apple": the company one works for.
EMPLOYER_WORDS = frozenset("at chez".split())
# "Where did Pang work before Apple?" asks for the move that ended at Apple.
BEFORE_WORDS = frozenset("before avant".split())
# "his previous job", "son ancien poste": a role held before, wherever it was.
EARLIER_WORDS = frozenset(
    "before avant previous previously former earlier ancien ancienne precedent precedente".split()
)
ORIGIN_WORDS = frozenset(
    "from left leave leaves leaving quit quits quitting exit exited quitter quitte quittent depuis after apres".split()
)
# "de" names the origin only right after a word of leaving ("parti de Meta", "départ de Google").
ORIGIN_AFTER_LEAVING = frozenset("de d du des".split())
ROLE_SKIP = frozenset("the a an its le la les l un une sa son ses".split())

# Words of the question that say what kind of answer is wanted but are not content.
INTENT_WORDS = frozenset(
    """how much many when who where why what which whom list show tell date reason raison
    combien quand qui ou pourquoi quoi quel quelle quels quelles liste montre
    latest recent recently derniers dernieres recents recentes recemment
    city ville country pays neighbourhood neighborhood quartier size taille""".split()
)

_WORD_TO_CONCEPT: dict[str, str] = {}
# A word in two concepts ("job" is work and a role, "salaries" pay in English and staff in
# French) has both as matching keys.
_WORD_CONCEPTS: dict[str, tuple[str, ...]] = {}
for _concept, _words in CONCEPTS.items():
    for _w in tokens(_words):
        _WORD_TO_CONCEPT.setdefault(_w, _concept)
        if _concept not in _WORD_CONCEPTS.get(_w, ()):
            _WORD_CONCEPTS[_w] = (*_WORD_CONCEPTS.get(_w, ()), _concept)

_EN = snowballstemmer.stemmer("english")
_FR = snowballstemmer.stemmer("french")
# Which implementation stems (PyStemmer's C code when installed): part of a store's format.
STEMMER_IMPLEMENTATION = type(_FR).__module__


@lru_cache(maxsize=30_000)  # entries of up to limits.WORD_MAX letters: ~0.6 kB each
def term_keys(word: str) -> tuple[str, ...]:
    """The matching keys of a folded token: its concept id when the lexicon knows the word or its
    stem, else its English and French stems (either may match, so "restructurer" finds
    "restructuration" and "recruiting" finds "recruit")."""
    concepts = _WORD_CONCEPTS.get(word)
    if concepts:
        return concepts
    # Stems shorter than four letters collide across words ("meta" → "met", "face" → "fac").
    en, fr = (s if len(s) >= 4 else word for s in (_EN.stemWord(word), _FR.stemWord(word)))
    for stemmed in (en, fr):
        concept = _STEM_TO_CONCEPT.get(stemmed)
        if concept:
            return (concept,)
    return (en,) if en == fr else (en, fr)


_STEM_TO_CONCEPT: dict[str, str] = {}
for _w, _c in _WORD_TO_CONCEPT.items():
    for _s in {_EN.stemWord(_w), _FR.stemWord(_w)}:
        if len(_s) >= 4:
            _STEM_TO_CONCEPT.setdefault(_s, _c)


def is_concept(key: str) -> bool:
    return key.isupper()


def content_terms(text: str) -> list[str]:
    """Every matching key of a text's content words (what an item is indexed under)."""
    return keys_of(tokens(text))


# Concepts a text says with two words, possibly apart ("turned the offer down", "a dit non"): the
# first word, then the second within PHRASAL_REACH words after it.
PHRASAL_CONCEPTS: dict[tuple[str, str], str] = {
    **dict.fromkeys((("turned", "down"), ("turn", "down"), ("turns", "down"), ("turning", "down")), "REFUSE"),
    **dict.fromkeys((("said", "no"), ("say", "no"), ("dit", "non"), ("dire", "non")), "REFUSE"),
}
PHRASAL_REACH = 3
_PHRASE_STARTS = frozenset(first for first, _ in PHRASAL_CONCEPTS)


def keys_of(words: Iterable[str]) -> list[str]:
    """Every matching key of already folded words, stopwords left out, and the concepts of their
    two-word phrases."""
    words = list(words)
    keys = [k for w in words if w not in STOPWORDS for k in term_keys(w)]
    for i, w in enumerate(words):
        if w in _PHRASE_STARTS:
            keys += [
                c
                for later in words[i + 1 : i + 1 + PHRASAL_REACH]
                if (c := PHRASAL_CONCEPTS.get((w, later))) is not None
            ]
    return keys


@lru_cache(maxsize=50_000)
def rarity(word: str) -> float:
    """How informative a word is in general language, 0.1 (\"use\", \"avait\") to 1.0 (a rare name).

    Lets a question's everyday words count for little and its unusual words (names, topics the
    store has never heard of) count fully, without a hand-made dictionary of either language.
    """
    zipf = max(zipf_frequency(word, "en", wordlist="small"), zipf_frequency(word, "fr", wordlist="small"))
    return min(1.0, max(0.1, (6.0 - zipf) / 3.0))
