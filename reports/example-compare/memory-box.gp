# memory-box.gp, written by mrb-analyze: run gnuplot memory-box.gp here to redraw
set terminal pngcairo size 900,500
set termoption noenhanced
set output 'memory-box.png'
set title 'Max memory used'
set xlabel 'runtime'
set ylabel 'MB'
set grid
set style fill solid 0.4 border
set boxwidth 0.5
set key right top
set xrange [-0.5:3.5]
set xtics ('go (n=400)' 0, 'kotlin (n=400)' 1, 'python (n=400)' 2, 'typescript (n=400)' 3)
plot 'memory-box.dat' index 0 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#2ca02c' notitle, 'memory-box.dat' index 0 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'memory-box.dat' index 1 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#9467bd' notitle, 'memory-box.dat' index 1 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'memory-box.dat' index 2 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#1f77b4' notitle, 'memory-box.dat' index 2 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'memory-box.dat' index 3 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#ff7f0e' notitle, 'memory-box.dat' index 3 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     512 with lines dt 2 lw 1.5 lc rgb '#444444' title 'configured'
set terminal svg size 900,500
set termoption noenhanced
set output 'memory-box.svg'
replot
unset output
