# e2e-cost-per-1m.gp, written by mrb-analyze: run gnuplot e2e-cost-per-1m.gp here to redraw
set terminal pngcairo size 900,500
set termoption noenhanced
set output 'e2e-cost-per-1m.png'
set title 'Known cost per 1M requests_ whole stack'
set xlabel 'runtime'
set ylabel 'USD'
set grid
set style fill solid 0.7 border
set boxwidth 0.6
set key right top
set yrange [0:*]
set xrange [-0.5:3.5]
set xtics ('go' 0, 'kotlin' 1, 'python' 2, 'typescript' 3)
plot 'e2e-cost-per-1m.dat' index 0 using 1:2 with boxes lc rgb '#2ca02c' notitle, \
     'e2e-cost-per-1m.dat' index 1 using 1:2 with boxes lc rgb '#9467bd' notitle, \
     'e2e-cost-per-1m.dat' index 2 using 1:2 with boxes lc rgb '#1f77b4' notitle, \
     'e2e-cost-per-1m.dat' index 3 using 1:2 with boxes lc rgb '#ff7f0e' notitle
set terminal svg size 900,500
set termoption noenhanced
set output 'e2e-cost-per-1m.svg'
replot
unset output
